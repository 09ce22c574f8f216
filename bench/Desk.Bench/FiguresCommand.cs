namespace Desk.Bench;

/// <summary>
/// <c>dotnet run --project bench/Desk.Bench -- figures …</c>: keeps the README's current figures and docs/figures.json together.
/// <list type="bullet">
/// <item><c>record GROUP LOG [PREFIX=LOG …]</c>: the RESULT lines of a bench's output (a plain LOG, or each name prefixed,
/// "sqlite=run1.log postgres=run2.log") become the group's figures, stamped with today, this machine, the commit and the
/// fingerprint of its code; then the README is written. <c>--date</c> and <c>--machine</c> override the stamp.</item>
/// <item><c>carry GROUP[,GROUP…] "reason"</c>: the code changed in a way that cannot move these figures; the fingerprint is taken
/// again and the reason is printed beside the table.</item>
/// <item><c>readme</c>: writes the README's figures blocks from the file. <c>check</c>: lists groups whose code changed.
/// <c>fingerprint GROUP</c>: the group's current fingerprint and the files it covers.</item>
/// </list>
/// </summary>
public static class FiguresCommand
{
    public static int Run(string[] args)
    {
        try
        {
            var root = Figures.FindRoot(Directory.GetCurrentDirectory());
            var file = FiguresFile.Load(root);
            switch (args)
            {
                case ["readme"]:
                    file.Save(root); // in the form record and carry write it, so their diffs show only what they changed
                    WriteReadme(root, file);
                    return 0;
                case ["check"]:
                    var stale = Figures.Stale(root, file);
                    foreach (var group in stale) Console.WriteLine(Figures.StaleMessage(root, group));
                    Console.WriteLine(stale.Count == 0 ? "Every figures group matches its code." : $"{stale.Count} figures group(s) older than their code.");
                    return stale.Count == 0 ? 0 : 1;
                case ["fingerprint", var name]:
                    Console.WriteLine(CodeFingerprint.Compute(root, file.Group(name).Paths));
                    foreach (var path in CodeFingerprint.Files(root, file.Group(name).Paths)) Console.WriteLine("  " + path);
                    return 0;
                case ["carry", var names, var reason]:
                {
                    var groups = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(file.Group).ToList();
                    foreach (var group in groups)
                        Figures.Carry(group, reason, CodeFingerprint.Compute(root, group.Paths), Figures.Today(), Figures.Commit(root, group.Paths));
                    file.Save(root);
                    WriteReadme(root, file);
                    Console.WriteLine($"Carried {string.Join(", ", groups.Select(g => g.Name))}: {reason}");
                    return 0;
                }
                case ["record", var name, .. var rest] when rest.Length > 0:
                {
                    var group = file.Group(name);
                    var date = Option(ref rest, "--date") ?? Figures.Today();
                    var machine = Option(ref rest, "--machine") ?? Figures.Machine();
                    var results = new SortedDictionary<string, SortedDictionary<string, double>>(StringComparer.Ordinal);
                    foreach (var log in rest)
                    {
                        var at = log.IndexOf('=', StringComparison.Ordinal);
                        var (prefix, path) = at > 0 && !File.Exists(log) ? (log[..at] + ".", log[(at + 1)..]) : ("", log);
                        foreach (var (result, values) in Figures.ParseResults(File.ReadLines(path), prefix)) results[result] = values;
                    }
                    Figures.Record(group, results, CodeFingerprint.Compute(root, group.Paths), date, machine, Figures.Commit(root, group.Paths));
                    file.Save(root);
                    WriteReadme(root, file);
                    Console.WriteLine($"Recorded {name}: {results.Count} RESULT lines, {date}, {machine}, at {group.Commit}.");
                    return 0;
                }
                default:
                    Console.Error.WriteLine("""
                        figures record GROUP LOG [PREFIX=LOG …] [--date YYYY-MM-DD] [--machine "…"]
                        figures carry GROUP[,GROUP…] "why this change cannot move the figures"
                        figures readme
                        figures check
                        figures fingerprint GROUP
                        """);
                    Console.Error.WriteLine($"groups: {string.Join(", ", file.Groups.Select(g => g.Name))}");
                    return 2;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or InvalidDataException or IOException or FormatException or System.Text.Json.JsonException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static void WriteReadme(string root, FiguresFile file)
    {
        var path = Path.Combine(root, Figures.ReadmePath);
        File.WriteAllText(path, Figures.WriteReadme(File.ReadAllText(path), file));
    }

    private static string? Option(ref string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0 || at + 1 >= args.Length) return null;
        var value = args[at + 1];
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }
}
