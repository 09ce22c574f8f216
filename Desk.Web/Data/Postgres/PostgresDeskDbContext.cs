using Desk.Domain.Tickets;
using Desk.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data.Postgres;

/// <summary>The desk on PostgreSQL: its migrations (Data/Postgres/Migrations) are this type's.</summary>
public sealed class PostgresDeskDbContext(DbContextOptions<PostgresDeskDbContext> options) : DeskDbContext(options)
{
    public override IDeskDatabaseProvider Provider => PostgresProvider.Instance;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // PostgreSQL 15 has stored generated columns only, and a comparison is a boolean there: the queue's "IsOpen"
        // stays an int (queries say "IsOpen" = 1 on both providers) written when the row is.
        modelBuilder.Entity<Ticket>().Property<int>(TicketConfiguration.OpenColumn).HasComputedColumnSql(
            $"CASE WHEN \"State\" IN ({string.Join(", ", TicketStates.Open.Select(s => $"'{s}'"))}) THEN 1 ELSE 0 END", stored: true);
        // PostgreSQL folds unquoted names to lower case; SQLite's constraint says Id bare.
        modelBuilder.Entity<Desk.Domain.Recovery.RecoverySettings>()
            .ToTable("RecoverySettings", t => t.HasCheckConstraint("CK_RecoverySettings_OneRow", "\"Id\" = 1"));
    }
}
