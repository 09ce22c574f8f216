using System.Globalization;
using System.Text;

namespace Desk.Bench;

/// <summary>
/// What a bench prints for scripts beside what it prints for people: one line per figure,
/// <c>RESULT &lt;name&gt; &lt;key&gt;=&lt;number&gt; …</c>, numbers in the invariant culture, so two runs can be compared
/// with a one-line <c>grep ^RESULT</c>. And the bench's own health before it measures: a busy machine or a desk still
/// building its kept outcomes measures something else than the figure's name says.
/// </summary>
public static class BenchResults
{
    /// <summary>Prints <c>RESULT name key=value …</c>; a value that is not a number (no samples) is printed as <c>nan</c>.</summary>
    public static void Print(string name, params (string Key, double Value)[] values)
    {
        var line = new StringBuilder("RESULT ").Append(name);
        foreach (var (key, value) in values)
            line.Append(' ').Append(key).Append('=')
                .Append(double.IsFinite(value) ? value.ToString(Math.Abs(value) >= 100 ? "0.#" : "0.###", CultureInfo.InvariantCulture) : "nan");
        Console.WriteLine(line.ToString());
    }

    /// <summary>The machine's load over the last minute (Linux); null where it cannot be read.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Warns when the machine is busy before a run (load above 1 on the last minute): another build or test on the same
    /// cores takes its share of every figure. Prints <c>RESULT machine load=…</c> either way, so a script can discard the run.
    /// </summary>
    public static void WarnIfBusy(string before)
    {
        if (LoadAverage() is not { } load) return;
        if (load > 1)
            Console.WriteLine($"  WARNING: the machine's load is {load:0.00} before {before} (above 1): something else is running, and the figures below will be low.");
        Print("machine", ("load", load), ("cores", Environment.ProcessorCount));
    }

    /// <summary>
    /// How much of the desk's background upkeep is still to do: customers whose kept report rows are to be (re)built, plus
    /// one for a first build or a first loyalty run not yet done. 0 on a settled desk.
    /// </summary>
    public static Task<long> UpkeepLeftAsync(BenchDatabase db) => db.CountAsync("""
        SELECT (SELECT COUNT(*) FROM "OutcomesDirty") + CASE WHEN (SELECT "WindowMs" FROM "OutcomesState") IS NULL THEN 1 ELSE 0 END
             + (SELECT COUNT(*) FROM "Customers" WHERE "Id" > COALESCE((SELECT "MarkFrom" FROM "OutcomesState"), 9223372036854775807))
             + CASE WHEN EXISTS (SELECT 1 FROM "LoyaltyRuns") THEN 0 ELSE 1 END
        """);

    /// <summary>Warns when the desk is still building its kept outcomes: then every figure measures the upkeep too.</summary>
    public static async Task WarnIfUpkeepAsync(BenchDatabase db)
    {
        var left = await UpkeepLeftAsync(db);
        if (left > 0)
            Console.WriteLine($"  WARNING: the desk's background upkeep is not finished ({left:N0} customers' report rows still to build): the figures below measure it too.");
        Print("upkeep_left", ("rows", left));
    }
}
