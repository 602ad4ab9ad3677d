// Package architecture holds no code: its test checks that the imports of
// every package of the module (tests left out) keep to the picture of the
// parts in .ci/architecture.json. Each import from one part into another
// must be one of its arrows, none may be one of its "never" pairs, every
// arrow must still be in the code, and every package must lie in a part.
//
// A part is a folder with its sub-folders, except the sub-folders that are
// parts of their own (warehouse/pgserver inside warehouse): a package
// belongs to the part of the longest folder that holds it.
package architecture
