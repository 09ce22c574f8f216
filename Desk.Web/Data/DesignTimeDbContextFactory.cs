using Desk.Web.Data.Postgres;
using Desk.Web.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Design;

namespace Desk.Web.Data;

/// <summary>
/// Lets `dotnet ef migrations add … --context SqliteDeskDbContext` (or PostgresDeskDbContext) build each provider's
/// context without starting the web host. Adding a migration connects to nothing.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDeskDbContext>
{
    public SqliteDeskDbContext CreateDbContext(string[] args) => SqliteStore.NewContext("Data Source=design-time.db");
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDeskDbContext>
{
    public PostgresDeskDbContext CreateDbContext(string[] args) =>
        PostgresProvider.NewPostgresContext("Host=127.0.0.1;Port=5432;Username=postgres;Database=desk_design_time");
}
