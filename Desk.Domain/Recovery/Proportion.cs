namespace Desk.Domain.Recovery;

/// <summary>
/// How many of <see cref="N"/> did something (came back and bought), with the Wilson score interval: unlike the
/// textbook ± 1.96·√(p(1−p)/n) it stays inside 0–100 % and is honest for small n and rates near 0 or 1, which is
/// what a matrix cell of a dozen customers looks like.
/// </summary>
public readonly record struct Proportion(long Successes, long N)
{
    /// <summary>z for a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The rate, or null when there is no one to count.</summary>
    public double? Rate => N == 0 ? null : (double)Successes / N;

    public (double Low, double High)? Interval95 => Wilson(Z95);

    public (double Low, double High)? Wilson(double z)
    {
        if (N == 0) return null;
        if (Successes < 0 || Successes > N) throw new DomainException("{0} of {1} is not a proportion.", Successes, N);
        var n = (double)N;
        var p = Successes / n;
        var denominator = 1 + z * z / n;
        var centre = (p + z * z / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
