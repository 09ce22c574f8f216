namespace Desk.Tests.Support;

/// <summary>
/// Finds the shared test corpora (real-world mail written by others) the way CI has them: the repository clone's
/// parent holds <c>shared/corpora</c>. Outside CI a missing corpus skips the test with <see cref="SkipReason"/>;
/// under <c>CI=true</c> the test runs and fails, so a CI that lost the corpora cannot pass quietly.
/// </summary>
public static class Corpora
{
    /// <summary>The corpora folder, or null when no directory above the test binaries has ../shared/corpora.</summary>
    public static string? Root { get; } = Locate();

    /// <summary>True when the run is on CI (<c>CI=true</c>), where missing corpora must fail rather than skip.</summary>
    public static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string SkipReason =>
        $"The shared corpora were not found: no directory above {AppContext.BaseDirectory} has ../shared/corpora next to it " +
        "(CI clones the repository next to shared/). Set CI=true to make this a failure.";

    /// <summary>A path inside the corpora; throws with <see cref="SkipReason"/> when they are missing.</summary>
    public static string Path(params string[] parts)
    {
        var root = Root ?? throw new DirectoryNotFoundException(SkipReason);
        return System.IO.Path.Combine([root, .. parts]);
    }

    /// <summary>The files under a corpus folder (recursively), relative to the corpora root with '/' separators, sorted.</summary>
    public static IEnumerable<string> Files(string folder, string searchPattern = "*")
    {
        var root = Root;
        if (root is null) return [];
        var full = System.IO.Path.Combine(root, folder);
        if (!Directory.Exists(full)) return [];
        return Directory.EnumerateFiles(full, searchPattern, SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
    }

    private static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "corpora"));
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    internal static string? SkipUnlessAvailable() => Root is null && !OnCi ? SkipReason : null;
}

/// <summary>A fact that needs the shared corpora: skipped with the reason outside CI when they are missing.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        if (Corpora.SkipUnlessAvailable() is { } reason) Skip = reason;
    }
}

/// <summary>
/// A theory that needs the shared corpora: skipped with the reason outside CI when they are missing. Its data
/// source should yield a placeholder row when the corpora are missing so that a CI run fails visibly instead of
/// running no rows at all.
/// </summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        if (Corpora.SkipUnlessAvailable() is { } reason) Skip = reason;
    }
}
