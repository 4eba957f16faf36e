package dev.grove.reports;

/**
 * An estimated proportion with its two-sided confidence interval, from {@code count} answers.
 *
 * @param value the point estimate, clamped to [0, 1]
 * @param low the interval's lower bound, clamped to [0, 1]
 * @param high the interval's upper bound, clamped to [0, 1]
 * @param count the number of answers the estimate rests on
 * @param confidence the interval's confidence level (for example 0.95)
 */
public record Estimate(double value, double low, double high, long count, double confidence) {
}
