using System.Text;
using Desk.Bench;
using Desk.Tests.Support;

namespace Desk.Tests.Docs;

/// <summary>
/// The README's current figures against docs/figures.json and against the code they measure (issue 22, item 7): a table
/// edited by hand, or code changed since its figures were measured (and not carried with a reason), fails here. No app
/// starts: the file, the README and the listed sources are read.
/// </summary>
public sealed class FiguresTests : IDisposable
{
    private static readonly string Root = Repository.Root;
    private readonly string scratch = Directory.CreateTempSubdirectory("desk-figures-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public void ReadmeBlocks_EachGroup_EqualWhatTheFiguresFileGenerates()
    {
        var file = FiguresFile.Load(Root);
        var blocks = Figures.ReadmeBlocks(File.ReadAllText(Path.Combine(Root, Figures.ReadmePath)));

        Assert.NotEmpty(file.Groups);
        var problems = new List<string>();
        foreach (var group in file.Groups)
        {
            if (!blocks.TryGetValue(group.Name, out var block))
                problems.Add($"The README has no block <!-- figures:{group.Name} --> … <!-- /figures -->.");
            else if (block != Figures.Block(group))
                problems.Add($"The README's '{group.Name}' figures differ from {FiguresFile.RelativePath} (edited by hand?). Figures come from a run: " +
                             $"dotnet run --project bench/Desk.Bench -- figures record {group.Name} {group.Logs}; or, to write the README from the file: figures readme." +
                             $"\nREADME:\n{block}\nfile:\n{Figures.Block(group)}");
        }
        problems.AddRange(blocks.Keys.Where(name => file.Groups.All(g => g.Name != name)).Select(name => $"The README's block '{name}' has no group in {FiguresFile.RelativePath}."));
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    [Fact]
    public void Fingerprints_EachGroup_CodeUnchangedSinceMeasuredOrCarried()
    {
        var file = FiguresFile.Load(Root);

        var stale = Figures.Stale(Root, file);

        Assert.True(stale.Count == 0, string.Join("\n", stale.Select(g => Figures.StaleMessage(Root, g))));
    }

    [Fact]
    public void Groups_EachPathAndPlaceholder_MatchesAFileAndAValue()
    {
        var file = FiguresFile.Load(Root);

        var problems = file.Groups.SelectMany(g =>
            CodeFingerprint.Unmatched(Root, g.Paths).Select(p => $"{g.Name}: the path {p} matches no file (renamed? say where the code is now)")
                .Concat(Figures.Missing(g).Select(v => $"{g.Name}: the table shows {v}, which the group's results do not hold"))
                .Concat(g.Bench.Count == 0 ? [$"{g.Name}: no bench command"] : [])).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(file.Groups.Count, file.Groups.Select(g => g.Name).Distinct().Count());
    }

    [Fact]
    public void FindRoot_FromTheTestOutput_TheRepository()
    {
        Assert.Equal(Repository.Root, Figures.FindRoot(AppContext.BaseDirectory));
        Assert.Throws<InvalidOperationException>(() => Figures.FindRoot(scratch));
    }

    [Fact]
    public void Compute_ListedFileChanged_Differs()
    {
        Write("src/Queue/Query.cs", "class Query { }\n");
        var before = CodeFingerprint.Compute(scratch, ["src/Queue/**"]);

        Write("src/Queue/Query.cs", "class Query { int more; }\n");

        Assert.NotEqual(before, CodeFingerprint.Compute(scratch, ["src/Queue/**"]));
    }

    [Fact]
    public void Compute_UnlistedOrBuildOutputChanged_Same()
    {
        Write("src/Queue/Query.cs", "class Query { }\n");
        Write("src/Admin/Page.cs", "class Page { }\n");
        var before = CodeFingerprint.Compute(scratch, ["src/Queue/**"]);

        Write("src/Admin/Page.cs", "class Page { int changed; }\n");
        Write("src/Queue/obj/Query.g.cs", "generated");
        Write("src/Queue/bin/Desk.dll", "built");

        Assert.Equal(before, CodeFingerprint.Compute(scratch, ["src/Queue/**"]));
    }

    [Fact]
    public void Compute_FileAddedOrRenamed_Differs()
    {
        Write("src/Queue/Query.cs", "class Query { }\n");
        var before = CodeFingerprint.Compute(scratch, ["src/Queue/**"]);

        File.Move(Path.Combine(scratch, "src/Queue/Query.cs"), Path.Combine(scratch, "src/Queue/Queries.cs"));

        Assert.NotEqual(before, CodeFingerprint.Compute(scratch, ["src/Queue/**"]));
    }

    [Fact]
    public void Compute_CrlfLineEndings_SameAsLf()
    {
        Write("a/One.cs", "line one\nline two\n");
        var lf = CodeFingerprint.Compute(scratch, ["a/*.cs"]);

        Write("a/One.cs", "line one\r\nline two\r\n");

        Assert.Equal(lf, CodeFingerprint.Compute(scratch, ["a/*.cs"]));
    }

    [Fact]
    public void Compute_InGitWorkTree_IgnoredFilesLeftOutUntrackedCounted()
    {
        Write(".gitignore", "*.db\n");
        Write("src/Query.cs", "class Query { }\n");
        GitInit();
        var before = CodeFingerprint.Compute(scratch, ["src/**"]);

        Write("src/desk.db", "a local database");
        Assert.Equal(before, CodeFingerprint.Compute(scratch, ["src/**"]));

        Write("src/New.cs", "class New { }\n"); // not added yet: a clone will have it once committed
        Assert.NotEqual(before, CodeFingerprint.Compute(scratch, ["src/**"]));
    }

    [Fact]
    public void Globs_StarsAndExactPaths_MatchTheirFilesOnly()
    {
        Write("Desk.Web/Features/Queue/Index.cshtml", "x");
        Write("Desk.Web/Features/Queue/Deep/Part.cs", "x");
        Write("Desk.Web/Features/DeskPages.cs", "x");
        Write("Desk.Web/Program.cs", "x");

        Assert.Equal(["Desk.Web/Features/Queue/Deep/Part.cs", "Desk.Web/Features/Queue/Index.cshtml"], CodeFingerprint.Files(scratch, ["Desk.Web/Features/Queue/**"]));
        Assert.Equal(["Desk.Web/Features/DeskPages.cs"], CodeFingerprint.Files(scratch, ["Desk.Web/Features/*.cs"]));
        Assert.Equal(["Desk.Web/Program.cs"], CodeFingerprint.Files(scratch, ["Desk.Web/Program.cs"]));
        Assert.Equal(["Desk.Web/Features/Tickets/**"], CodeFingerprint.Unmatched(scratch, ["Desk.Web/Program.cs", "Desk.Web/Features/Tickets/**"]));
    }

    [Fact]
    public void ParseResults_BenchOutput_ReadsResultLinesOnly()
    {
        var results = Figures.ParseResults(
        [
            "queue: open, page 1                    455    32.81    52.62    81.71",
            "RESULT queue_open rps=455.4 p50_ms=32.81 p99_ms=81.71",
            "  WARNING: the machine's load is 2.06",
            "RESULT idle_latency p50_ms=531 p99_ms=nan arrived=99",
        ], "sqlite.");

        Assert.Equal(["sqlite.idle_latency", "sqlite.queue_open"], results.Keys);
        Assert.Equal(455.4, results["sqlite.queue_open"]["rps"]);
        Assert.True(double.IsNaN(results["sqlite.idle_latency"]["p99_ms"]));
    }

    [Fact]
    public void Record_RunWithEveryValue_StampedAndTableFilled()
    {
        var group = Group();
        group.Carried = [new FigureCarry { Date = "2026-12-01", Commit = "abc", Reason = "an older carry" }];
        var run = Figures.ParseResults(["RESULT queue_open rps=812.3 p99_ms=42.17", "RESULT ceiling rps=1983.7 p99_ms=16.76", "RESULT machine load=0.4 cores=2"]);

        Figures.Record(group, run, "f1", "2026-12-07", "2 cores Test CPU", "1234abc");

        var block = Figures.Block(group);
        Assert.Contains("| queue: open | 812 | 42.2 | 0.41 |", block);
        Assert.Contains("*Measured 2026-12-07 at `1234abc` on 2 cores Test CPU.*", block);
        Assert.Equal("f1", group.Fingerprint);
        Assert.Null(group.Carried);
        Assert.Equal(["ceiling", "queue_open"], group.Results.Keys); // what the table shows, not every line of the run
    }

    [Fact]
    public void Record_RunWithoutAValueTheTableShows_RefusedAndGroupUnchanged()
    {
        var group = Group();
        var before = Snapshot(group);

        var refused = Assert.Throws<InvalidOperationException>(() =>
            Figures.Record(group, Figures.ParseResults(["RESULT queue_open rps=812.3 p99_ms=42.17"]), "f1", "2026-12-07", "m", "c"));

        Assert.Contains("ceiling.rps", refused.Message);
        Assert.Equal(before, Snapshot(group));
    }

    [Fact]
    public void Carry_WithReason_NewFingerprintAndReasonBesideTheTable()
    {
        var group = Group();

        Figures.Carry(group, "only the admin pages changed", "f2", "2026-12-07", "9876fed");

        Assert.Equal("f2", group.Fingerprint);
        Assert.Contains("*Code changed since measured (carried 2026-12-07 at `9876fed`): only the admin pages changed*", Figures.Block(group));
        Assert.Throws<ArgumentException>(() => Figures.Carry(group, " ", "f3", "2026-12-07", "9876fed"));
        Assert.Equal("f2", group.Fingerprint);
    }

    [Fact]
    public void WriteReadme_HandEditedFigure_WrittenBackFromTheFile()
    {
        var file = new FiguresFile { Groups = [Group()] };
        var generated = Figures.WriteReadme("# Desk\n\n<!-- figures:pages -->\n<!-- /figures -->\n\nAfter.\n", file);
        var edited = generated.Replace("| 455 |", "| 900 |", StringComparison.Ordinal);
        Assert.NotEqual(generated, edited);
        Assert.NotEqual(Figures.Block(file.Groups[0]), Figures.ReadmeBlocks(edited)["pages"]);

        Assert.Equal(generated, Figures.WriteReadme(edited.Replace("\n", "\r\n", StringComparison.Ordinal), file));
        Assert.EndsWith("<!-- /figures -->\n\nAfter.\n", generated);
        Assert.Throws<InvalidOperationException>(() => Figures.WriteReadme("# no blocks\n", file));
    }

    [Fact]
    public void FiguresFile_SavedAndLoaded_SameBlocks()
    {
        var file = FiguresFile.Load(Root);

        var again = FiguresFile.Parse(file.ToJson());

        Assert.Equal(file.Groups.Select(Figures.Block), again.Groups.Select(Figures.Block));
        Assert.Equal(file.ToJson(), File.ReadAllText(Path.Combine(Root, FiguresFile.RelativePath)).ReplaceLineEndings("\n"));
    }

    private static FigureGroup Group() => new()
    {
        Name = "pages",
        Bench = ["dotnet run -c Release --project bench/Desk.Bench"],
        Measured = "2026-12-06",
        Machine = "2 cores",
        Commit = "0000000",
        Paths = ["src/**"],
        Fingerprint = "f0",
        Results = new(StringComparer.Ordinal)
        {
            ["queue_open"] = new(StringComparer.Ordinal) { ["rps"] = 455.4, ["p99_ms"] = 81.71 },
            ["ceiling"] = new(StringComparer.Ordinal) { ["rps"] = 1983.7, ["p99_ms"] = 16.76 },
        },
        Table = ["| page | req/s | p99 ms | of the ceiling |", "|---|---|---|---|", "| queue: open | {queue_open.rps:N0} | {queue_open.p99_ms:0.0} | {queue_open.rps/ceiling.rps:0.00} |"],
    };

    private static string Snapshot(FigureGroup group) => new FiguresFile { Groups = [group] }.ToJson();

    private void GitInit()
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", ["init", "--quiet"]) { WorkingDirectory = scratch };
        using var git = System.Diagnostics.Process.Start(start)!;
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(scratch, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
    }
}
