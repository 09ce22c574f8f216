using Microsoft.EntityFrameworkCore.Design;

namespace Desk.Web.Data.Postgres;

/// <summary>
/// Lets `dotnet ef migrations add … --context PostgresDeskDbContext` build the context without starting the web host;
/// adding a migration connects to nothing.
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDeskDbContext>
{
    public PostgresDeskDbContext CreateDbContext(string[] args) =>
        PostgresProvider.NewPostgresContext("Host=127.0.0.1;Port=5432;Username=postgres;Database=desk_design_time");
}
