/**
 * What notebooks show: the one adapter to the running Jupyter kernel ({@link unrolled.notebook.Notebook}),
 * interview question cards, tables and self-checking exercises. The rest of the library returns values;
 * only this package displays them.
 */
package unrolled.notebook;
