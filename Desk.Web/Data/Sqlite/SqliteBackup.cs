using Microsoft.Data.Sqlite;

namespace Desk.Web.Data.Sqlite;

/// <summary>
/// Copies of a desk's SQLite file through SQLite's online backup API: the copy is one snapshot (the read transaction
/// the backup runs in, which WAL lets the desk's writers work beside), never a file copied while pages change under it.
/// </summary>
public sealed class SqliteBackup : IDatabaseBackup
{
    public static readonly SqliteBackup Instance = new();

    private SqliteBackup()
    {
    }

    /// <summary>The EF Core table every migrated desk database has.</summary>
    private const string MigrationsTable = "__EFMigrationsHistory";

    /// <summary>
    /// Writes a snapshot of the database at <paramref name="connectionString"/> to <paramref name="file"/>, which must not
    /// exist: first beside it under a temporary name, checked (integrity_check), then renamed, so a backup cut short
    /// never leaves a half file under the chosen name. The copy is a single file (rollback journal, not WAL).
    /// </summary>
    public void Backup(string connectionString, string file)
    {
        var partial = file + ".partial";
        DeleteWithCompanions(partial);
        try
        {
            using (var source = Open(connectionString, SqliteOpenMode.ReadWrite))
            using (var copy = Open($"Data Source={partial}", SqliteOpenMode.ReadWriteCreate))
            {
                source.BackupDatabase(copy);
                Execute(copy, "PRAGMA journal_mode = DELETE");
                if (IntegrityProblem(copy) is { } problem) throw new InvalidOperationException($"The copy failed its integrity check: {problem}");
            }
            File.Move(partial, file);
        }
        finally
        {
            DeleteWithCompanions(partial);
        }
    }

    /// <summary>
    /// Why <paramref name="file"/> is not a backup of a desk this version can open (not SQLite, damaged, no migrations
    /// table, or migrated by a newer desk), or null when it is. <paramref name="knownMigrations"/>: this desk's migrations.
    /// </summary>
    public string? Check(string file, IReadOnlyCollection<string> knownMigrations)
    {
        if (!File.Exists(file)) return $"there is no file {file}.";
        try
        {
            using var backup = Open($"Data Source={file}", SqliteOpenMode.ReadOnly);
            if (Scalar(backup, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{MigrationsTable}'") is not 1L)
                return $"{file} is a SQLite database but not a Desk one (it has no {MigrationsTable} table).";
            var latest = Scalar(backup, $"SELECT MAX(\"MigrationId\") FROM \"{MigrationsTable}\"") as string;
            if (latest is null) return $"{file} is an empty Desk database (no migration was applied to it).";
            if (!knownMigrations.Contains(latest))
                return $"{file} was written by a newer Desk (migration {latest} is unknown to this one); restore it with that version.";
            return IntegrityProblem(backup) is { } problem ? $"{file} is damaged: {problem}" : null;
        }
        catch (SqliteException e)
        {
            return $"{file} is not a readable SQLite database ({e.Message}).";
        }
    }

    /// <summary>
    /// Replaces the database at <paramref name="connectionString"/> (created when missing) with the content of
    /// <paramref name="file"/>, through the backup API in reverse, and checks the result. No desk may have it open.
    /// </summary>
    public void Restore(string file, string connectionString)
    {
        using var backup = Open($"Data Source={file}", SqliteOpenMode.ReadOnly);
        using var target = Open(connectionString, SqliteOpenMode.ReadWriteCreate);
        backup.BackupDatabase(target);
        Execute(target, "PRAGMA journal_mode = WAL"); // as the desk keeps it
        if (IntegrityProblem(target) is { } problem) throw new InvalidOperationException($"The restored database failed its integrity check: {problem}");
    }

    /// <summary>"ok" from SQLite's full integrity_check becomes null; anything else is the problem it reports.</summary>
    public static string? IntegrityProblem(SqliteConnection connection) =>
        Scalar(connection, "PRAGMA integrity_check") is "ok" ? null : Convert.ToString(Scalar(connection, "PRAGMA integrity_check"));

    private static SqliteConnection Open(string connectionString, SqliteOpenMode mode)
    {
        // Never pooled: a pooled connection would keep the file open after the command, and the restored file must be closed.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Mode = mode, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000"); // waits for the desk's writer to finish a checkpoint, never fails at once
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void DeleteWithCompanions(string file)
    {
        foreach (var path in new[] { file, file + "-journal", file + "-wal", file + "-shm" })
            if (File.Exists(path)) File.Delete(path);
    }
}
