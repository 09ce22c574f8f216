namespace Desk.Domain;

/// <summary>
/// The range of money the desk accepts: an order's amount or a remedy's cost is at most <see cref="MaxAmount"/>.
/// Money is stored as 64-bit cents and summed in SQL; with every amount at most 10^11 cents, the reports' sums stay
/// exact for tens of millions of rows, and no typed "50000000000000000" can overflow them.
/// </summary>
public static class Money
{
    /// <summary>One billion in the desk's currency: more than any order or remedy a complaint desk sees.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    /// <summary>The largest amount, in cents, the desk stores.</summary>
    public const long MaxCents = 100_000_000_000L;

    /// <summary>Whether an amount is one the desk accepts: zero up to <see cref="MaxAmount"/>.</summary>
    public static bool InRange(decimal amount) => amount is >= 0m and <= MaxAmount;
}
