namespace Desk.Tests.Support;

/// <summary>
/// Finds the shared corpora of real-world mail the way CI has them: the repository clone's parent holds
/// <c>shared/corpora</c>, so some directory above the test binaries has <c>../shared/corpora</c> next to it.
/// The corpora are read in place, never copied into the repository.
/// </summary>
public static class Corpora
{
    /// <summary>The corpora folder, or null when it is not there.</summary>
    public static string? Root { get; } = Locate();

    /// <summary>True when the run must not skip for want of corpora (CI sets CI=true).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why a corpus test is skipped, or null when it runs: only outside CI with no corpora. Under CI the test
    /// runs and fails on the missing folder, so a broken checkout never passes silently.</summary>
    public static string? SkipReason => Root is null && !Required
        ? "The shared corpora were not found: no directory above the test binaries has ../shared/corpora next to it."
        : null;

    /// <summary>A path inside the corpora, e.g. <c>Corpora.Path("mimekit", "UnitTests", "TestData", "tnef")</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">The corpora are missing (the message says where they were looked for).</exception>
    public static string Path(params string[] parts)
    {
        var root = Root ?? throw new DirectoryNotFoundException(
            $"The shared corpora were not found above {AppContext.BaseDirectory} (looked for ../shared/corpora beside each parent directory).");
        return System.IO.Path.Combine([root, .. parts]);
    }

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "corpora"));
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }
}

/// <summary>A fact that needs the shared corpora: skipped with the reason when they are missing outside CI.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute() => Skip = Corpora.SkipReason;
}

/// <summary>A theory that needs the shared corpora: skipped with the reason when they are missing outside CI.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute() => Skip = Corpora.SkipReason;
}
