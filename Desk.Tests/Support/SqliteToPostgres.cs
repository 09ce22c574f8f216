using System.Globalization;
using System.Text;
using Desk.Web.Data.Postgres;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Desk.Tests.Support;

/// <summary>
/// Copies the rows of some tables from a SQLite desk into an empty PostgreSQL desk (both migrated), as they are stored
/// (times in Unix ms, money in cents, enums by name; SQLite's 0/1 read as PostgreSQL's booleans), through COPY, so
/// the PostgreSQL triggers see the rows arrive as they would from any writer. The tests use it to put the generator's
/// desks on PostgreSQL until the generator writes to PostgreSQL itself.
/// </summary>
public static class SqliteToPostgres
{
    /// <summary>The tables the demo-data generator writes, parents first.</summary>
    public static readonly string[] GeneratedTables =
        ["Customers", "Orders", "Tickets", "ConversationEntries", "AuditEntries", "Surveys", "FollowUpTasks"];

    public static void Copy(string sqliteConnectionString, string postgresConnectionString, IEnumerable<string> tables)
    {
        using var source = new SqliteConnection(sqliteConnectionString);
        source.Open();
        using var target = new NpgsqlConnection(postgresConnectionString);
        target.Open();
        foreach (var table in tables)
        {
            var columns = Columns(target, table);
            using (var import = target.BeginTextImport(
                $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN"))
            using (var read = source.CreateCommand())
            {
                read.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c.Name}\""))} FROM \"{table}\" ORDER BY rowid";
                using var reader = read.ExecuteReader();
                var line = new StringBuilder();
                while (reader.Read())
                {
                    line.Clear();
                    for (var i = 0; i < columns.Count; i++)
                    {
                        if (i > 0) line.Append('\t');
                        line.Append(reader.IsDBNull(i) ? @"\N" : Text(reader.GetValue(i), columns[i].Type));
                    }
                    import.Write(line.Append('\n').ToString());
                }
            }
        }
        using var reset = new NpgsqlCommand(PostgresSql.ResetIdentitySequences + "ANALYZE;", target);
        reset.ExecuteNonQuery();
    }

    /// <summary>The columns a row is written with: all but the generated ones (the queue's "IsOpen").</summary>
    private static List<(string Name, string Type)> Columns(NpgsqlConnection connection, string table)
    {
        using var command = new NpgsqlCommand("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = @table AND is_generated = 'NEVER'
            ORDER BY ordinal_position
            """, connection);
        command.Parameters.AddWithValue("table", table);
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read()) columns.Add((reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    /// <summary>A value in COPY's text format.</summary>
    private static string Text(object value, string type) => value switch
    {
        long n when type == "boolean" => n != 0 ? "t" : "f",
        byte[] bytes => @"\\x" + Convert.ToHexString(bytes),
        string s => s.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\t", @"\t", StringComparison.Ordinal)
            .Replace("\n", @"\n", StringComparison.Ordinal).Replace("\r", @"\r", StringComparison.Ordinal),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
