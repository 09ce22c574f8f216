using System.Diagnostics;
using Desk.Domain.Customers;
using Desk.Domain.Orders;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Orders;

public enum OrderImportMode
{
    /// <summary>Writes the orders and commits when every line is good.</summary>
    Import,
    /// <summary>Does everything an import does, then rolls it back: the preview's counts are the import's own.</summary>
    DryRun,
}

public enum OrderImportOutcome { Imported, WouldImport, Refused }

/// <summary>How far an import has got; reported after every batch.</summary>
public sealed record OrderImportProgress(long Lines, long New, long AlreadyImported, int Errors, TimeSpan Elapsed);

/// <summary>
/// What an import did or would do. <see cref="Errors"/> lists at most <see cref="OrderImport.MaxListedErrors"/>;
/// <see cref="ErrorCount"/> counts them all, and <see cref="StoppedEarly"/> says the rest of the input was not read.
/// </summary>
public sealed record OrderImportResult(
    OrderImportOutcome Outcome, long Lines, long New, long AlreadyImported, long RepeatedInInput, long NewCustomers,
    IReadOnlyList<OrderRowError> Errors, int ErrorCount, bool StoppedEarly, IReadOnlyList<ParsedOrder> Sample, TimeSpan Elapsed)
{
    public bool Refused => Outcome == OrderImportOutcome.Refused;
}

/// <summary>
/// Takes orders in, from any source (CSV file, API batch), with one set of rules:
/// <list type="bullet">
/// <item>All or nothing: one transaction (behind the desk's write gate) for the whole input; a single bad line refuses
/// it all, with every problem listed by position, field, what is wrong and what to do.</item>
/// <item>Idempotent on the shop's reference: an order the desk has already, with the same data, is counted as
/// "already imported" and left alone; with different data it is an error (an imported order is never changed silently).
/// A reference repeated inside the input follows the same rule. A blank product or category is not a difference.</item>
/// <item>Orders link to customers by normalised e-mail address. An unknown address creates the customer (name from the
/// input, else the address; tenure from their earliest order); a known customer keeps their name, and their tenure
/// starts earlier if an order is older than what the desk knew.</item>
/// <item>Streaming: lines are read, checked and written in batches of <see cref="BatchSize"/>, so memory does not grow
/// with the input.</item>
/// </list>
/// </summary>
public sealed class OrderImport(DeskDbContext db, TimeProvider clock)
{
    public const int BatchSize = 5_000;
    public const int MaxListedErrors = 500;
    /// <summary>After this many errors the rest of the input is not read: a file this wrong needs fixing, not a longer list.</summary>
    public const int StopAfterErrors = 1_000;
    public const int SampleSize = 10;

    public async Task<OrderImportResult> RunAsync(IAsyncEnumerable<OrderLine> lines, OrderImportMode mode,
        IProgress<OrderImportProgress>? progress = null, CancellationToken ct = default)
    {
        var run = new Run(Stopwatch.StartNew());
        var now = clock.GetUtcNow().UtcDateTime;
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false; // batches are added once and saved once: nothing to detect
        try
        {
            await using var transaction = await db.BeginWriteAsync(ct);
            // Writers of orders take turns however many desks share the database (SQLite: the write gate already saw to
            // it): ids then commit in order, which the baseline below and the reports' new-order mark rely on.
            if (db.Provider.Reports.Exclusive("Orders") is { } exclusive) await db.Database.ExecuteSqlRawAsync(exclusive, ct);
            // Orders the desk has with a higher id were written by this run: a reference found there repeats one of the input.
            run.Baseline = await db.Orders.MaxAsync(o => (long?)o.Id, ct) ?? 0;
            using var inserts = db.Provider.BulkInsert<Order>(db);
            using var customerInserts = db.Provider.BulkInsert<Customer>(db);
            run.Inserts = inserts;
            run.CustomerInserts = customerInserts;
            var batch = new List<ParsedOrder>(BatchSize);
            var lineErrors = new List<OrderRowError>();
            await foreach (var line in lines.WithCancellation(ct))
            {
                if (!line.IsProblemsOnly) run.Lines++;
                lineErrors.Clear();
                var order = OrderLineRules.Parse(line, now, lineErrors);
                foreach (var error in lineErrors) run.Add(error);
                if (order is not null)
                {
                    if (run.Sample.Count < SampleSize) run.Sample.Add(order);
                    batch.Add(order);
                }
                if (batch.Count >= BatchSize)
                {
                    await FlushAsync(batch, run, ct);
                    progress?.Report(run.Progress());
                }
                if (run.ErrorCount >= StopAfterErrors)
                {
                    run.StoppedEarly = true;
                    break;
                }
            }
            if (!run.StoppedEarly && batch.Count > 0)
            {
                await FlushAsync(batch, run, ct);
                progress?.Report(run.Progress());
            }

            var outcome = run.ErrorCount > 0 ? OrderImportOutcome.Refused
                : mode == OrderImportMode.Import ? OrderImportOutcome.Imported : OrderImportOutcome.WouldImport;
            if (outcome == OrderImportOutcome.Imported) await transaction.CommitAsync(ct);
            // Otherwise disposing the transaction rolls back every batch.
            return new OrderImportResult(outcome, run.Lines, run.New, run.Already, run.Repeated, run.NewCustomers,
                [.. run.Errors.OrderBy(e => e.Position)], run.ErrorCount, run.StoppedEarly, run.Sample, run.Clock.Elapsed);
        }
        finally
        {
            db.ChangeTracker.Clear();
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task FlushAsync(List<ParsedOrder> batch, Run run, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var references = batch.Select(o => o.ExternalRef).Distinct().ToList();
        // One parameter (json_each), not thousands: EF 10 would otherwise expand the list into one parameter per reference.
        var known = await (
                from o in db.Orders.AsNoTracking()
                where EF.Parameter(references).Contains(o.ExternalRef)
                join c in db.Customers on o.CustomerId equals c.Id
                select new ParsedOrder(o.Id, c.Email, null, o.ExternalRef, o.PlacedAt, o.Amount, o.Product, o.Category))
            .ToDictionaryAsync(o => o.ExternalRef, StringComparer.Ordinal, ct);

        var fresh = new Dictionary<string, ParsedOrder>(StringComparer.Ordinal);
        foreach (var order in batch)
        {
            if (known.TryGetValue(order.ExternalRef, out var stored))
            {
                // Position holds the stored order's id here.
                var repeat = stored.Position > run.Baseline;
                if (Differences(order, stored, run, repeat ? null : stored) == 0)
                {
                    if (repeat) run.Repeated++;
                    else run.Already++;
                }
            }
            else if (fresh.TryGetValue(order.ExternalRef, out var earlier))
            {
                if (Differences(order, earlier, run, null) == 0) run.Repeated++;
            }
            else fresh.Add(order.ExternalRef, order);
        }
        batch.Clear();
        if (fresh.Count == 0) return;

        var firstOrders = fresh.Values.GroupBy(o => o.Email, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => (At: g.Min(o => o.PlacedAt), Name: g.Select(o => o.Name).FirstOrDefault(n => n is not null)), StringComparer.Ordinal);
        var emails = firstOrders.Keys.ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => EF.Parameter(emails).Contains(c.Email))
            .Select(c => new { c.Id, c.Email, c.FirstSeenAt }).ToListAsync(ct);
        var ids = customers.ToDictionary(c => c.Email, c => c.Id, StringComparer.Ordinal);

        var olderThanKnown = customers.Where(c => firstOrders[c.Email].At < c.FirstSeenAt).Select(c => c.Id).ToList();
        if (olderThanKnown.Count > 0)
            foreach (var customer in await db.Customers.Where(c => olderThanKnown.Contains(c.Id)).ToListAsync(ct))
            {
                customer.SeenAt(firstOrders[customer.Email].At);
                db.Entry(customer).Property(c => c.FirstSeenAt).IsModified = true; // change detection is off
            }
        if (olderThanKnown.Count > 0) await db.SaveChangesAsync(ct);
        var created = firstOrders.Where(f => !ids.ContainsKey(f.Key))
            .Select(f => new Customer(f.Key, f.Value.Name, f.Value.At)).ToList();
        if (created.Count > 0)
        {
            foreach (var customer in created) run.CustomerInserts!.Add(customer);
            run.CustomerInserts!.Flush(); // their ids are read next
            var createdEmails = created.Select(c => c.Email).ToList();
            foreach (var c in await db.Customers.Where(c => EF.Parameter(createdEmails).Contains(c.Email)).Select(c => new { c.Id, c.Email }).ToListAsync(ct))
                ids[c.Email] = c.Id;
        }
        db.ChangeTracker.Clear();
        // The domain's constructor still checks each order; only the writing skips EF's change tracking.
        foreach (var o in fresh.Values)
            run.Inserts!.Add(new Order(o.ExternalRef, ids[o.Email], o.PlacedAt, o.Amount, o.Product, o.Category));
        run.Inserts!.Flush(); // the next batch looks its references up
        run.New += fresh.Count;
        run.NewCustomers += created.Count;
    }

    /// <summary>Reports each field where <paramref name="order"/> disagrees with <paramref name="other"/>; returns how many.</summary>
    private static int Differences(ParsedOrder order, ParsedOrder other, Run run, ParsedOrder? storedBeforeThisRun)
    {
        var count = 0;
        foreach (var field in (ReadOnlySpan<OrderField>)[OrderField.Email, OrderField.PlacedAt, OrderField.Amount, OrderField.Product, OrderField.Category])
        {
            // A blank product or category says nothing (the file may not have the column): only a value can differ.
            if (field is OrderField.Product && order.Product is null || field is OrderField.Category && order.Category is null) continue;
            var mine = OrderLineRules.Show(field, order);
            var theirs = OrderLineRules.Show(field, other);
            if (mine == theirs) continue;
            count++;
            run.Add(storedBeforeThisRun is not null
                ? new OrderRowError(order.Position, field,
                    new("Order {0} was imported before with {1}; this says {2}.", order.ExternalRef, theirs, mine),
                    new("Desk never changes an imported order: make this match what was imported, or leave the order out."))
                : new OrderRowError(order.Position, field,
                    new("Order {0} comes earlier in this input with {1}; this says {2}.", order.ExternalRef, theirs, mine),
                    new("Keep one line per order.")));
        }
        return count;
    }

    private sealed class Run(Stopwatch clock)
    {
        public Stopwatch Clock { get; } = clock;
        public IBulkInsert<Order>? Inserts { get; set; }
        public IBulkInsert<Customer>? CustomerInserts { get; set; }
        public long Baseline, Lines, New, Already, Repeated, NewCustomers;
        public int ErrorCount;
        public bool StoppedEarly;
        public List<OrderRowError> Errors { get; } = [];
        public List<ParsedOrder> Sample { get; } = [];

        public void Add(OrderRowError error)
        {
            ErrorCount++;
            if (Errors.Count < MaxListedErrors) Errors.Add(error);
        }

        public OrderImportProgress Progress() => new(Lines, New, Already, ErrorCount, Clock.Elapsed);
    }
}
