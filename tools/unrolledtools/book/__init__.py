"""The book: `./unrolled run`, the HTML book, the interview drill and cheat sheet, question coverage."""
