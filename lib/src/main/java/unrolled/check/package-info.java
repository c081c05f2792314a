/**
 * Gradient checking: every hand-written backward pass in the library is compared with centred finite
 * differences in DOUBLE, and notebooks use the same checker to show learners how to trust a gradient.
 */
package unrolled.check;
