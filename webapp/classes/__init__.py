"""Classes: join codes, memberships, co-instructors, assignments and the gradebook."""
