"""The map of the article: each paragraph's digest, its questions and the student's mastery."""
