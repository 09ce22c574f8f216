using Desk.Domain.Customers;
using Desk.Domain.FollowUps;
using Desk.Domain.Orders;
using Desk.Domain.Recovery;
using Desk.Domain.Remedies;
using Desk.Domain.RootCauses;
using Desk.Domain.Sla;
using Desk.Domain.Tickets;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Desk.Web.Features.Api;
using Desk.Web.Features.Attachments;
using Desk.Web.Features.Customers;
using Desk.Web.Features.Macros;
using Desk.Web.Features.Orders;
using Desk.Web.Features.Public;
using Desk.Web.Identity;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Data;

/// <summary>A ticket found by the full-text index (see <see cref="DeskDbContext.TicketSearch"/>).</summary>
public sealed class SearchHit
{
    public long TicketId { get; private set; }
}

/// <summary>
/// The unit of work: controllers and services use it directly (no repository layer).
/// A lost update on a ticket surfaces as <see cref="ConcurrencyConflictException"/> with a message for people.
/// Each database provider has its own subtype (<c>Data/Sqlite/SqliteDeskDbContext</c>, <c>Data/Postgres/PostgresDeskDbContext</c>)
/// that owns its model hooks, its migrations and its <see cref="Provider"/>; features only ever see this type.
/// It also keeps the Data Protection key ring, so a cookie or antiforgery token one desk issued is read by every other.
/// </summary>
public abstract class DeskDbContext(DbContextOptions options) : IdentityDbContext<DeskUser, IdentityRole, string>(options), IDataProtectionKeyContext
{
    /// <summary>What differs between the databases: search, bulk writes, the write gate, transient errors.</summary>
    public abstract IDeskDatabaseProvider Provider { get; }

    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<ConversationEntry> ConversationEntries => Set<ConversationEntry>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<RootCause> RootCauses => Set<RootCause>();
    public DbSet<RemedyKind> RemedyKinds => Set<RemedyKind>();
    public DbSet<SlaTarget> SlaTargets => Set<SlaTarget>();
    public DbSet<StatusLink> StatusLinks => Set<StatusLink>();
    public DbSet<ContactConfirmation> ContactConfirmations => Set<ContactConfirmation>();
    public DbSet<Macro> Macros => Set<Macro>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<InboundMail> InboundMails => Set<InboundMail>();
    public DbSet<QuarantinedMail> QuarantinedMails => Set<QuarantinedMail>();
    public DbSet<MailboxCheckpoint> MailboxCheckpoints => Set<MailboxCheckpoint>();
    public DbSet<OutboundMail> OutboundMails => Set<OutboundMail>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ApiIdempotencyRecord> ApiIdempotencyRecords => Set<ApiIdempotencyRecord>();
    public DbSet<ApiRequestCount> ApiRequestCounts => Set<ApiRequestCount>();
    public DbSet<CustomerLoyalty> CustomerLoyalty => Set<CustomerLoyalty>();
    public DbSet<LoyaltyRun> LoyaltyRuns => Set<LoyaltyRun>();
    public DbSet<RecoverySettings> RecoverySettings => Set<RecoverySettings>();
    public DbSet<FollowUpPlan> FollowUpPlans => Set<FollowUpPlan>();
    public DbSet<FollowUpTask> FollowUpTasks => Set<FollowUpTask>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<MailSourceState> MailSources => Set<MailSourceState>();
    public DbSet<Email.Servers.MailServer> MailServers => Set<Email.Servers.MailServer>();
    public DbSet<OrderUpload> OrderUploads => Set<OrderUpload>();
    public DbSet<OrderUploadChunk> OrderUploadChunks => Set<OrderUploadChunk>();
    public DbSet<PublicPostCount> PublicPostCounts => Set<PublicPostCount>();
    public DbSet<Features.Privacy.PrivacyEvent> PrivacyEvents => Set<Features.Privacy.PrivacyEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<TicketTag> TicketTags => Set<TicketTag>();
    public DbSet<Features.Tags.CuratedTag> CuratedTags => Set<Features.Tags.CuratedTag>();
    public DbSet<Features.Queue.SavedView> SavedViews => Set<Features.Queue.SavedView>();
    public DbSet<Features.Import.ImportedTicketLink> ImportedTickets => Set<Features.Import.ImportedTicketLink>();

    /// <summary>
    /// Ids of the tickets whose subject, conversation or customer match what someone typed (every word whole, in any
    /// order; <c>parc*</c> a prefix; a run of Chinese characters as that sequence; typed operators taken as text),
    /// composable with other filters; none when nothing searchable was typed. The provider's full-text index answers.
    /// </summary>
    public IQueryable<long> TicketSearch(string? typed) => Provider.TicketSearch(this, typed);

    /// <summary>
    /// Every save tells the agents concerned (see <see cref="Features.Notifications.Notices"/>) and records the webhook
    /// events it causes (see <see cref="Features.Webhooks.WebhookInterceptor"/>), in its own transaction: the interceptors
    /// every desk context has, added where its options are built (<see cref="Sqlite.SqliteStore.UseDeskSqlite"/>,
    /// <see cref="Postgres.PostgresStore.UseDeskPostgres"/>) — once, not per context (OnConfiguring rebuilt the options
    /// on every request).
    /// </summary>
    public static readonly Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] SaveInterceptors =
        [Features.Notifications.NoticeInterceptor.Instance, Features.Webhooks.WebhookInterceptor.Instance];

    /// <summary>
    /// The warnings every desk context is built with, where its options are (beside <see cref="SaveInterceptors"/>). EF's
    /// check for model changes without a migration is off at run time: it builds the design-time model and compares it
    /// with the last migration's snapshot, 0.4 s of every desk process's start, for a mistake only a developer can make
    /// and <c>PersistenceTests.Migrate_FreshFile_AppliesEveryMigrationAndLeavesNoPendingModelChanges</c> catches on both
    /// databases before it is merged.
    /// </summary>
    public static void Warnings(Microsoft.EntityFrameworkCore.Diagnostics.WarningsConfigurationBuilder warnings) =>
        warnings.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder); // Identity's tables
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DeskDbContext).Assembly);
        // A typed row for search hits: EF then knows the column is an INTEGER and compares and orders it as it is.
        // With SqlQuery<long> it wrapped every use in CAST(… AS INTEGER), which hid the index's rowid order from
        // SQLite: a common word's search went from under a millisecond to 0.7 s at a million tickets.
        modelBuilder.Entity<SearchHit>().HasNoKey().ToTable((string?)null);
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

        // Times as Unix milliseconds and money as cents on every provider: the report SQL then reads the same on both.
        StoredValues.ConfigureConventions(configurationBuilder);
    }

    /// <summary>
    /// Starts a transaction for several saves that must commit together, first waiting for this file's write gate
    /// (see <see cref="IDeskDatabaseProvider.WriteGate"/>; SQLite has one, PostgreSQL none); the gate is held until the transaction is committed or disposed.
    /// </summary>
    public async Task<WriteTransaction> BeginWriteAsync(CancellationToken ct = default)
    {
        var gate = WriteGate();
        if (gate is not null) await gate.WaitAsync(ct);
        try
        {
            return new WriteTransaction(await Database.BeginTransactionAsync(ct), gate);
        }
        catch
        {
            gate?.Release();
            throw;
        }
    }

    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        var detect = DetectChangesOnce();
        try
        {
            // Inside BeginWriteAsync the gate is held already; a save of its own waits for its turn.
            var gate = Database.CurrentTransaction is null && ChangeTracker.HasChanges() ? WriteGate() : null;
            if (gate is not null) await gate.WaitAsync(cancellationToken);
            try
            {
                return await base.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException e)
            {
                throw ConcurrencyConflictException.From(e);
            }
            finally
            {
                gate?.Release();
            }
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    public override int SaveChanges()
    {
        var detect = DetectChangesOnce();
        try
        {
            var gate = Database.CurrentTransaction is null && ChangeTracker.HasChanges() ? WriteGate() : null;
            gate?.Wait();
            try
            {
                return base.SaveChanges();
            }
            catch (DbUpdateConcurrencyException e)
            {
                throw ConcurrencyConflictException.From(e);
            }
            finally
            {
                gate?.Release();
            }
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// Detects the changes once for a save and turns detection off until it is done (returns whether it was on): the
    /// interceptors that read the tracker (live signal, reference lists, notices, webhooks) and EF's save then do not
    /// each detect them again — every <c>ChangeTracker.Entries()</c> would, and a mail batch saves hundreds of times.
    /// They only add entities, which needs no detection.
    /// </summary>
    private bool DetectChangesOnce()
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (!detect) return false;
        ChangeTracker.DetectChanges();
        ChangeTracker.AutoDetectChangesEnabled = false;
        return true;
    }

    private SemaphoreSlim? WriteGate() => Provider.WriteGate(Database.GetConnectionString());
}
