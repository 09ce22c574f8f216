using Microsoft.EntityFrameworkCore.Design;

namespace Desk.Web.Data.Sqlite;

/// <summary>Lets `dotnet ef migrations add … --context SqliteDeskDbContext` build the context without starting the web host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteDeskDbContext>
{
    public SqliteDeskDbContext CreateDbContext(string[] args) => SqliteStore.NewContext("Data Source=design-time.db");
}
