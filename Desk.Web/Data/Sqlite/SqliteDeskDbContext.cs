using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data.Sqlite;

/// <summary>The desk on SQLite: its migrations (Data/Sqlite/Migrations) are this type's.</summary>
public sealed class SqliteDeskDbContext(DbContextOptions<SqliteDeskDbContext> options) : DeskDbContext(options)
{
    public override IDeskDatabaseProvider Provider => SqliteProvider.Instance;
}
