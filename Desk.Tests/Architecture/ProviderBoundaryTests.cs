using System.Text.RegularExpressions;
using Desk.Tests.Support;

namespace Desk.Tests.Architecture;

/// <summary>
/// SQLite stays behind its provider: no code outside a <c>Sqlite</c> folder (Desk.Web/Data/Sqlite/) or the seed's SQLite
/// writer names a SQLite type or namespace, so a feature cannot quietly work on one database only. The provider registry
/// (<c>DeskDatabaseProviders</c>) is the one place that names every provider.
/// </summary>
public sealed partial class ProviderBoundaryTests
{
    private static readonly string[] Roots = ["Desk.Web", "Desk.Domain", "seed"];

    private static readonly string[] Allowed = [Path.Combine("Desk.Web", "Data", "IDeskDatabaseProvider.cs")];

    /// <summary>The SQLite side's entry points, which a dispatch over the providers names (as it names PostgreSQL's).</summary>
    private static readonly string[] EntryPoints = ["SqliteSeed.Run(", "SqliteBulkWriter.For("];

    [Fact]
    public void SourceOutsideTheSqliteProvider_NamesNoSqliteType()
    {
        var offenders = new List<string>();
        foreach (var root in Roots)
            foreach (var file in Directory.EnumerateFiles(Repository.PathOf(root), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Repository.Root, file);
                var parts = relative.Split(Path.DirectorySeparatorChar);
                if (parts.Contains("bin") || parts.Contains("obj") || parts.Contains("Sqlite") || Path.GetFileName(file).StartsWith("Sqlite", StringComparison.Ordinal)
                    || Allowed.Contains(relative))
                    continue;
                var lineNumber = 0;
                foreach (var line in File.ReadLines(file))
                {
                    lineNumber++;
                    var code = line.TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal)) continue; // comments may speak of SQLite
                    foreach (var entry in EntryPoints) code = code.Replace(entry, "", StringComparison.Ordinal);
                    if (SqliteName().IsMatch(code)) offenders.Add($"{relative}:{lineNumber}: {code}");
                }
            }
        Assert.True(offenders.Count == 0, "SQLite named outside Data/Sqlite/ (put it behind IDeskDatabaseProvider):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Rule_WouldCatchASqliteTypeInAFeature()
    {
        Assert.Matches(SqliteName(), "var c = (SqliteConnection)db.Database.GetDbConnection();");
        Assert.Matches(SqliteName(), "using Microsoft.Data.Sqlite;");
        Assert.Matches(SqliteName(), "using Desk.Web.Data.Sqlite;");
        Assert.DoesNotMatch(SqliteName(), "if (db.Provider.Kind == DatabaseProvider.Sqlite) return;");
    }

    [GeneratedRegex(@"\bSqlite[A-Z]\w*|Microsoft\.Data\.Sqlite|SQLitePCL|Data\.Sqlite\b|\bSqlite\.\w")]
    private static partial Regex SqliteName();
}
