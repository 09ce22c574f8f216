using Desk.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Desk.Tests.Support;

/// <summary>
/// A real SQLite file in a temp folder, brought up by the checked-in migrations (never EnsureCreated),
/// deleted when the test ends.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("desk-test-").FullName;

    public TestDatabase(bool migrate = true)
    {
        Path = System.IO.Path.Combine(_folder, "desk.db");
        ConnectionString = $"Data Source={Path}";
        if (!migrate) return;
        using var db = NewContext();
        db.Database.Migrate();
        db.Database.OpenConnection();
        SqliteStore.EnableWriteAheadLog(db.Database.GetDbConnection());
    }

    public string Path { get; }
    public string ConnectionString { get; }

    public DeskDbContext NewContext() =>
        new(new DbContextOptionsBuilder<DeskDbContext>().UseDeskSqlite(ConnectionString).Options);

    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        SqliteStore.ApplyConnectionPragmas(connection); // as every desk connection: the search index's triggers need its function
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } // best effort on a temp folder
    }
}
