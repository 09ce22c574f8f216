using Desk.Domain.Tickets;
using Desk.Web.Data.Configurations;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data.Postgres;

/// <summary>The desk on PostgreSQL: its migrations (Data/Postgres/Migrations) are this type's.</summary>
public sealed class PostgresDeskDbContext(DbContextOptions<PostgresDeskDbContext> options) : DeskDbContext(options)
{
    public override IDeskDatabaseProvider Provider => PostgresProvider.Instance;

    public override int SaveChanges()
    {
        ReplaceNulCharacters();
        return base.SaveChanges();
    }

    public override Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        ReplaceNulCharacters();
        return base.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// PostgreSQL's text cannot hold U+0000, which SQLite stores as it is: a mail whose header or body carries one (they
    /// do, from broken mailers) would fail to save and be neither taken in nor quarantined. Each NUL in a text about to
    /// be written becomes U+FFFD, the replacement character, as a decoder marks what it could not read.
    /// </summary>
    private void ReplaceNulCharacters()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var property in entry.Properties)
                if (property.CurrentValue is string text && text.Contains('\0', StringComparison.Ordinal))
                    property.CurrentValue = NulFree(text);
        }
    }

    /// <summary>The text with each U+0000 replaced by U+FFFD.</summary>
    public static string NulFree(string text) => text.Replace('\0', '\uFFFD');

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
