from webapp.auth.decorators import instructor_required


def _add_instructor_page(app):
    @instructor_required
    def secret():
        return "instructor only"

    app.add_url_rule("/test-instructor-only", "test_instructor_only", secret)


def test_instructor_required_redirects_guests_to_login(app, client):
    _add_instructor_page(app)
    response = client.get("/test-instructor-only")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_instructor_required_refuses_students(app, client, auth):
    _add_instructor_page(app)
    auth.login_as("student")
    assert client.get("/test-instructor-only").status_code == 403


def test_instructor_required_admits_instructors(app, client, auth):
    _add_instructor_page(app)
    auth.login_as("instructor")
    response = client.get("/test-instructor-only")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "instructor only"
