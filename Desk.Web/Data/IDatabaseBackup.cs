namespace Desk.Web.Data;

/// <summary>
/// The desk's own backup and restore of a database (the <c>backup</c> and <c>restore</c> commands); a provider whose
/// server has its own tools (PostgreSQL: pg_dump) has none.
/// </summary>
public interface IDatabaseBackup
{
    /// <summary>
    /// Writes one consistent snapshot of the database at <paramref name="connectionString"/>, taken while desks write to
    /// it, to <paramref name="file"/> (which must not exist), checked; never a half file under that name.
    /// </summary>
    void Backup(string connectionString, string file);

    /// <summary>
    /// Why <paramref name="file"/> is not a backup of a desk this version can open, or null when it is.
    /// <paramref name="knownMigrations"/>: this desk's migrations.
    /// </summary>
    string? Check(string file, IReadOnlyCollection<string> knownMigrations);

    /// <summary>Replaces the database at <paramref name="connectionString"/> with <paramref name="file"/>'s content. No desk may have it open.</summary>
    void Restore(string file, string connectionString);
}
