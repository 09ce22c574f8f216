using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Domain.Remedies;
using Desk.Domain.RootCauses;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Macros;
using Desk.Web.Features.Public;
using Desk.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data;

/// <summary>
/// The unit of work: controllers and services use it directly (no repository layer).
/// A lost update on a ticket surfaces as <see cref="ConcurrencyConflictException"/> with a message for people.
/// </summary>
public sealed class DeskDbContext(DbContextOptions<DeskDbContext> options) : IdentityDbContext<DeskUser, IdentityRole, string>(options)
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<ConversationEntry> ConversationEntries => Set<ConversationEntry>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<RootCause> RootCauses => Set<RootCause>();
    public DbSet<RemedyKind> RemedyKinds => Set<RemedyKind>();
    public DbSet<SlaTarget> SlaTargets => Set<SlaTarget>();
    public DbSet<StatusLink> StatusLinks => Set<StatusLink>();
    public DbSet<Macro> Macros => Set<Macro>();
    public DbSet<Attachment> Attachments => Set<Attachment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder); // Identity's tables
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DeskDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: the database stays readable and reordering an enum breaks nothing.
        configurationBuilder.Properties<TicketState>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<TicketTrigger>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<TicketKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<Channel>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<Severity>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<Impact>().HaveConversion<string>().HaveMaxLength(10);
        configurationBuilder.Properties<RejectionReason>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<ConversationEntryKind>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<RelationshipLevel>().HaveConversion<string>().HaveMaxLength(20);

        if (Database.IsSqlite()) SqliteStore.ConfigureConventions(configurationBuilder);
    }

    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw ConcurrencyConflictException.From(e);
        }
    }

    public override int SaveChanges()
    {
        try
        {
            return base.SaveChanges();
        }
        catch (DbUpdateConcurrencyException e)
        {
            throw ConcurrencyConflictException.From(e);
        }
    }
}
