namespace Desk.Domain.Tickets;

/// <summary>
/// What an agent decides when resolving: the remedy given with its cost, the root cause, and the
/// decision told to the customer. Fields are nullable because forms arrive incomplete; the
/// workflow's guard, not the type, refuses an incomplete resolution, with one clear message.
/// </summary>
public sealed record Resolution(
    int? RemedyKindId,
    decimal? RemedyCost,
    int? RootCauseId,
    string? RootCauseNote = null,
    string? Decision = null)
{
    internal const string GuardDescription = "a remedy given with its cost (zero or more) and a root cause";

    /// <summary>Stands for "a complete resolution" when asking whether the state allows resolving at all.</summary>
    internal static Resolution AnyComplete { get; } = new(Remedies.RemedyKinds.NoAction, 0m, 1);

    public bool IsComplete => RemedyKindId is > 0 && RemedyCost is >= 0m && RootCauseId is > 0;

    /// <summary>What an incomplete resolution lacks, in words, e.g. "a root cause" or "a remedy given and its cost (zero or more)".</summary>
    internal IReadOnlyList<string> Missing() => [.. new[]
    {
        RemedyKindId is not > 0 ? "a remedy given" : null,
        RemedyCost is not >= 0m ? "its cost (zero or more)" : null,
        RootCauseId is not > 0 ? "a root cause" : null,
    }.OfType<string>()];

    internal string Summary() =>
        $"Remedy #{RemedyKindId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} ({RemedyCost?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "no cost"}), root cause #{RootCauseId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
}
