"""Tooling for the Unrolled curriculum, one subpackage per audience:

* `common`: where things are in the repository (`paths`), kernel messages without colour codes (`ansi`), and the
  browser tests' runner (`browser`);
* `notebooks`: running notebooks: the Java kernel's installation (`kernel`), executing one notebook headless
  (`execute`), and where a notebook's exercises are (`exercises`);
* `book`: `./unrolled run` (`run`), the HTML book (`render`), the interview drill and cheat sheet (`drill`) and the
  question coverage (`coverage`);
* `release`: the student version of a notebook (`student`), the release folder (`publish`) and a learner's own
  workspace in Jupyter (`study`);
* `grading`: the autograder (`autograde` for a class, `grader` for one notebook), the sandbox that runs learners' code
  (`sandbox`, `sandbox_relay`) and the lines check and grading cells print (`verdict`);
* `hub`: the workshop JupyterHub (`workshop`), its accounts, learners' workspaces, spawner, memory watchdog and load
  test.
"""
