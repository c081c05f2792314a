"""The student release: student versions of the notebooks, the release folder, a learner's own workspace."""
