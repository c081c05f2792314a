"""Grading learners' notebooks: the autograder, the sandbox their code runs in, the verdict lines it reads."""
