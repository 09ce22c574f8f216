using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Desk.Bench;

/// <summary>
/// The README's current figures, kept in <c>docs/figures.json</c>: per group the values a bench printed (its <c>RESULT</c>
/// lines), when and where and at which commit they were measured, the table the README shows (a template whose
/// <c>{name.key:format}</c> placeholders are filled from those values), and a fingerprint of the code the figures measure
/// (SHA-256 over the contents of the group's listed files). The test <c>FiguresTests</c> fails when a README block differs
/// from what the file generates, or when the code under a group's paths changed since it was recorded or carried.
/// </summary>
public sealed class FiguresFile
{
    public const string RelativePath = "docs/figures.json";

    [JsonPropertyName("about")] public string About { get; set; } = "";
    [JsonPropertyName("groups")] public List<FigureGroup> Groups { get; set; } = [];

    public FigureGroup Group(string name) =>
        Groups.FirstOrDefault(g => g.Name == name)
        ?? throw new ArgumentException($"no figures group '{name}' in {RelativePath} (there are: {string.Join(", ", Groups.Select(g => g.Name))})");

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static FiguresFile Parse(string json) =>
        JsonSerializer.Deserialize<FiguresFile>(json, Json) ?? throw new InvalidDataException($"{RelativePath} is empty");

    public static FiguresFile Load(string root) => Parse(File.ReadAllText(Path.Combine(root, RelativePath)));

    public string ToJson() => JsonSerializer.Serialize(this, Json).ReplaceLineEndings("\n") + "\n";

    public void Save(string root) => File.WriteAllText(Path.Combine(root, RelativePath), ToJson());
}

public sealed class FigureGroup
{
    /// <summary>The name in the README's markers (<c>&lt;!-- figures:NAME --&gt;</c>) and on the command line.</summary>
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    /// <summary>The commands that measure these figures, each writing its output to a log.</summary>
    [JsonPropertyName("bench")] public List<string> Bench { get; set; } = [];
    /// <summary>The logs to give <c>figures record</c>: "run.log", or "sqlite=sqlite.log postgres=postgres.log" (names prefixed).</summary>
    [JsonPropertyName("logs")] public string Logs { get; set; } = "run.log";
    [JsonPropertyName("measured")] public string Measured { get; set; } = "";
    [JsonPropertyName("machine")] public string Machine { get; set; } = "";
    /// <summary>The commit the figures were measured at (short hash; "+" when the work tree had changes under the paths).</summary>
    [JsonPropertyName("commit")] public string Commit { get; set; } = "";
    /// <summary>The code these figures measure: globs relative to the repository root (<c>**</c> any folders, <c>*</c> within one name).</summary>
    [JsonPropertyName("paths")] public List<string> Paths { get; set; } = [];
    [JsonPropertyName("fingerprint")] public string Fingerprint { get; set; } = "";
    /// <summary>Changes to the code since the figures were measured, each with why it cannot move them; cleared by a new record.</summary>
    [JsonPropertyName("carried")] public List<FigureCarry>? Carried { get; set; }
    /// <summary>RESULT name → key → value.</summary>
    [JsonPropertyName("results")] public SortedDictionary<string, SortedDictionary<string, double>> Results { get; set; } = new(StringComparer.Ordinal);
    /// <summary>
    /// The README block's lines; <c>{name.key}</c>, <c>{name.key:format}</c>, <c>{a.key/b.key:format}</c> (a ratio) or
    /// <c>{name.key/1024:format}</c> are filled from the results (.NET format strings, invariant culture).
    /// </summary>
    [JsonPropertyName("table")] public List<string> Table { get; set; } = [];
}

public sealed class FigureCarry
{
    [JsonPropertyName("date")] public string Date { get; set; } = "";
    [JsonPropertyName("commit")] public string Commit { get; set; } = "";
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
}

/// <summary>The fingerprint of the code a group measures, the same on every clone and line ending.</summary>
public static class CodeFingerprint
{
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { ".git", "bin", "obj", "TestResults", "node_modules" };

    /// <summary>The files under <paramref name="root"/> each glob matches, relative with '/', in ordinal order.</summary>
    public static IReadOnlyList<string> Files(string root, IEnumerable<string> globs)
    {
        var patterns = globs.Select(Glob).ToList();
        return AllFiles(root).Where(f => patterns.Any(p => p.IsMatch(f))).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Which of the globs match no file (a renamed folder would otherwise empty a fingerprint unseen).</summary>
    public static IReadOnlyList<string> Unmatched(string root, IEnumerable<string> globs)
    {
        var files = AllFiles(root).ToList();
        return globs.Where(g => !files.Any(Glob(g).IsMatch)).ToList();
    }

    /// <summary>SHA-256 over each matched file's path and contents (CRLF read as LF), lower-case hex.</summary>
    public static string Compute(string root, IEnumerable<string> globs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Files(root, globs))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(Normalised(File.ReadAllBytes(Path.Combine(root, file))));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] Normalised(byte[] content)
    {
        if (Array.IndexOf(content, (byte)'\r') < 0) return content;
        var result = new List<byte>(content.Length);
        for (var i = 0; i < content.Length; i++)
            if (!(content[i] == '\r' && i + 1 < content.Length && content[i + 1] == '\n')) result.Add(content[i]);
        return [.. result];
    }

    /// <summary>
    /// The files a clone holds: git's tracked and untracked-but-not-ignored files (a local database or settings file under a
    /// listed folder does not count); outside a git work tree, every file but build output.
    /// </summary>
    private static IEnumerable<string> AllFiles(string root)
    {
        if (Directory.Exists(Path.Combine(root, ".git")) || File.Exists(Path.Combine(root, ".git")))
        {
            var listed = Figures.Git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
            if (listed is not null)
                return listed.Split('\0', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)
                    .Where(f => File.Exists(Path.Combine(root, f))).ToList();
        }
        return Walk(root);
    }

    private static IEnumerable<string> Walk(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(folder))
                if (!Skipped.Contains(Path.GetFileName(sub))) pending.Push(sub);
            foreach (var file in Directory.EnumerateFiles(folder))
                yield return Path.GetRelativePath(root, file).Replace('\\', '/');
        }
    }

    /// <summary><c>**/</c> any folders (or none), <c>**</c> anything, <c>*</c> and <c>?</c> within one name.</summary>
    public static Regex Glob(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                pattern.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (glob[i] == '*') pattern.Append("[^/]*");
            else if (glob[i] == '?') pattern.Append("[^/]");
            else pattern.Append(Regex.Escape(glob[i].ToString()));
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}

/// <summary>Reading RESULT lines, filling tables, writing the README's blocks, recording and carrying.</summary>
public static partial class Figures
{
    public const string ReadmePath = "README.md";

    /// <summary>The repository root: the nearest folder up from <paramref name="start"/> holding ServiceDesk.sln.</summary>
    public static string FindRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "ServiceDesk.sln"))) return folder.FullName;
        throw new InvalidOperationException($"no ServiceDesk.sln in {start} or above it");
    }

    /// <summary><c>RESULT name key=value …</c> lines of a bench's output, each name given <paramref name="prefix"/> ("sqlite." …); a later line wins.</summary>
    public static SortedDictionary<string, SortedDictionary<string, double>> ParseResults(IEnumerable<string> lines, string prefix = "")
    {
        var results = new SortedDictionary<string, SortedDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is not ["RESULT", var name, ..]) continue;
            var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var pair in parts.Skip(2))
            {
                var at = pair.IndexOf('=', StringComparison.Ordinal);
                if (at <= 0) continue;
                var text = pair[(at + 1)..];
                values[pair[..at]] = text == "nan" ? double.NaN
                    : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
                    : throw new FormatException($"not a number in '{line.Trim()}': {pair}");
            }
            results[prefix + name] = values;
        }
        return results;
    }

    [GeneratedRegex(@"\{(?<a>[a-z0-9_]+(?:\.[a-z0-9_]+)+)(?:/(?:(?<n>[0-9]+(?:\.[0-9]+)?)(?=[:}])|(?<b>[a-z0-9_]+(?:\.[a-z0-9_]+)+)))?(?::(?<format>[^}]+))?\}")]
    private static partial Regex Placeholder();

    /// <summary>The values a group's table needs that its results do not hold ("seed.peak_mib").</summary>
    public static IReadOnlyList<string> Missing(FigureGroup group, SortedDictionary<string, SortedDictionary<string, double>>? results = null)
    {
        results ??= group.Results;
        return group.Table.SelectMany(line => Placeholder().Matches(line))
            .SelectMany(m => new[] { m.Groups["a"].Value, m.Groups["b"].Value }).Where(v => v.Length > 0)
            .Where(v => Value(results, v) is null).Distinct().ToList();
    }

    private static double? Value(SortedDictionary<string, SortedDictionary<string, double>> results, string reference)
    {
        var dot = reference.LastIndexOf('.');
        return results.TryGetValue(reference[..dot], out var values) && values.TryGetValue(reference[(dot + 1)..], out var value) ? value : null;
    }

    /// <summary>The README block of a group, markers included.</summary>
    public static string Block(FigureGroup group)
    {
        var text = new StringBuilder();
        text.Append("<!-- figures:").Append(group.Name).Append(" (generated from ").Append(FiguresFile.RelativePath)
            .Append(": `dotnet run --project bench/Desk.Bench -- figures readme`) -->\n");
        text.Append(CultureInfo.InvariantCulture, $"*Measured {group.Measured} at `{group.Commit}` on {group.Machine}.*\n");
        foreach (var carry in group.Carried ?? [])
            text.Append(CultureInfo.InvariantCulture, $"\n*Code changed since measured (carried {carry.Date} at `{carry.Commit}`): {carry.Reason}*\n");
        text.Append('\n');
        foreach (var line in group.Table)
            text.Append(Fill(group, line)).Append('\n');
        text.Append("<!-- /figures -->");
        return text.ToString();
    }

    private static string Fill(FigureGroup group, string line) => Placeholder().Replace(line, m =>
    {
        var a = Value(group.Results, m.Groups["a"].Value) ?? throw new InvalidDataException($"group {group.Name}: no value {m.Groups["a"].Value}");
        if (m.Groups["n"].Success)
            a /= double.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        else if (m.Groups["b"].Success)
            a /= Value(group.Results, m.Groups["b"].Value) ?? throw new InvalidDataException($"group {group.Name}: no value {m.Groups["b"].Value}");
        return double.IsFinite(a) ? a.ToString(m.Groups["format"].Success ? m.Groups["format"].Value : "0.###", CultureInfo.InvariantCulture) : "—";
    });

    [GeneratedRegex(@"<!-- figures:(?<name>[a-z0-9-]+)[^\n]*?-->.*?<!-- /figures -->", RegexOptions.Singleline)]
    private static partial Regex ReadmeBlock();

    /// <summary>The README's figures blocks by group name, as they stand (line endings as LF).</summary>
    public static IReadOnlyDictionary<string, string> ReadmeBlocks(string readme) =>
        ReadmeBlock().Matches(readme.ReplaceLineEndings("\n")).ToDictionary(m => m.Groups["name"].Value, m => m.Value);

    /// <summary>The README with every group's block written from the file; a group without a block is an error.</summary>
    public static string WriteReadme(string readme, FiguresFile file)
    {
        readme = readme.ReplaceLineEndings("\n");
        var absent = file.Groups.Where(g => !ReadmeBlocks(readme).ContainsKey(g.Name)).Select(g => g.Name).ToList();
        if (absent.Count > 0)
            throw new InvalidOperationException($"the README has no block for {string.Join(", ", absent)}: add the two lines `<!-- figures:NAME -->` and `<!-- /figures -->` where its table goes");
        return ReadmeBlock().Replace(readme, m => file.Groups.FirstOrDefault(g => g.Name == m.Groups["name"].Value) is { } group ? Block(group) : m.Value);
    }

    /// <summary>Takes a run's values into a group with today's stamp; refuses (and changes nothing) when the table needs a value the run did not print.</summary>
    public static void Record(FigureGroup group, SortedDictionary<string, SortedDictionary<string, double>> results, string fingerprint, string date, string machine, string commit)
    {
        var missing = Missing(group, results);
        if (missing.Count > 0)
            throw new InvalidOperationException($"the run printed no value for {string.Join(", ", missing)}: group {group.Name} is left as it was");
        var kept = new SortedDictionary<string, SortedDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var (name, values) in results)
            if (group.Table.Any(line => line.Contains("{" + name + ".", StringComparison.Ordinal) || line.Contains("/" + name + ".", StringComparison.Ordinal)))
                kept[name] = values;
        group.Results = kept;
        group.Fingerprint = fingerprint;
        group.Measured = date;
        group.Machine = machine;
        group.Commit = commit;
        group.Carried = null;
    }

    /// <summary>Re-stamps a group's fingerprint without measuring, for a change that cannot move its figures: the reason is shown beside the table.</summary>
    public static void Carry(FigureGroup group, string reason, string fingerprint, string date, string commit)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new ArgumentException("say why the change cannot move these figures");
        (group.Carried ??= []).Add(new FigureCarry { Date = date, Commit = commit, Reason = reason.Trim() });
        group.Fingerprint = fingerprint;
    }

    /// <summary>The groups whose code changed since their figures were recorded or carried.</summary>
    public static IReadOnlyList<FigureGroup> Stale(string root, FiguresFile file) =>
        file.Groups.Where(g => CodeFingerprint.Compute(root, g.Paths) != g.Fingerprint).ToList();

    /// <summary>What to do about a stale group, with the commands that fix it.</summary>
    public static string StaleMessage(string root, FigureGroup group)
    {
        var changed = ChangedSince(root, group);
        return $"""
            The code the README's '{group.Name}' figures measure has changed since they were measured ({group.Measured} at {group.Commit}).
            {(changed.Count > 0 ? "Changed since that commit: " + string.Join(", ", changed.Take(12)) + (changed.Count > 12 ? $" and {changed.Count - 12} more" : "") : "")}
            Either measure again (on a quiet machine) and record:
              {string.Join("\n  ", group.Bench.Select(c => c.Contains("| tee", StringComparison.Ordinal) ? c : c + " | tee run.log"))}
              dotnet run --project bench/Desk.Bench -- figures record {group.Name} {group.Logs}
            or, when the change cannot move these figures, say why (shown beside the table):
              dotnet run --project bench/Desk.Bench -- figures carry {group.Name} "why this change cannot move them"
            """;
    }

    /// <summary>Files under the group's paths that differ from its recorded commit (best effort: git may be absent).</summary>
    public static IReadOnlyList<string> ChangedSince(string root, FigureGroup group)
    {
        var commit = group.Carried is { Count: > 0 } carried ? carried[^1].Commit : group.Commit;
        var output = Git(root, ["diff", "--name-only", commit.TrimEnd('+'), "--", .. group.Paths.Select(p => ":(glob)" + p)]);
        return output?.Split('\n', StringSplitOptions.RemoveEmptyEntries) ?? [];
    }

    /// <summary>The current commit, short, with "+" when the work tree has changes under the paths.</summary>
    public static string Commit(string root, IEnumerable<string> paths)
    {
        var head = Git(root, ["rev-parse", "--short", "HEAD"])?.Trim();
        if (string.IsNullOrEmpty(head)) return "unknown";
        var dirty = Git(root, ["status", "--porcelain", "--", .. paths.Select(p => ":(glob)" + p)]);
        return string.IsNullOrWhiteSpace(dirty) ? head : head + "+";
    }

    internal static string? Git(string root, IEnumerable<string> arguments)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>"2 cores AMD EPYC 7B13, 24 GiB, Debian GNU/Linux 12 (bookworm), .NET 10.0.1": this machine, as a figure's header names it.</summary>
    public static string Machine()
    {
        static string? Line(string file, string prefix) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;
        var cpu = Line("/proc/cpuinfo", "model name")?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        var kib = Line("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = long.TryParse(kib, CultureInfo.InvariantCulture, out var k) ? $", {Math.Round(k / 1048576.0):0} GiB" : "";
        var os = Line("/etc/os-release", "PRETTY_NAME=")?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription;
        return $"{Environment.ProcessorCount} cores {cpu}{memory}, {os}, {RuntimeInformation.FrameworkDescription}";
    }

    public static string Today() => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
