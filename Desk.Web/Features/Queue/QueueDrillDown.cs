using System.Globalization;
using Desk.Domain.Customers;
using Desk.Domain.Loyalty;
using Desk.Domain.Recovery;
using Desk.Domain.Tickets;
using Desk.Web.Data;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Features.Queue;

/// <summary>One active drill-down filter as the queue shows it: a readable label and the queue without it.</summary>
public sealed record DrillChip(string Key, string Label, string ClearHref);

/// <summary>
/// The queue's drill-down filters: the tickets behind a report's cell. Dates are days in UTC, inclusive, exactly as the
/// reports' filters read them (<see cref="ReportFilterForm.ToFilter"/>: from midnight UTC of the first day to midnight
/// UTC after the last). Everything a report counts by — how the complaint went, the targets, the repurchase outcome,
/// level, tenure, loyalty class, remedy, repeat, survey — is read from the reports' own kept rows
/// (<c>ComplaintOutcomes</c>, brought up to date first) with the reports' own definitions, so the queue's count is the
/// cell's number. Each filter adds SQL only when present: the ordinary queue is untouched.
/// </summary>
public static class QueueDrillDown
{
    public static async Task<IQueryable<Ticket>> ApplyAsync(IQueryable<Ticket> tickets, QueueFilter filter, DeskDbContext db, DateTime now,
        LoyaltyThresholds thresholds, CancellationToken ct)
    {
        if (filter.From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            tickets = tickets.Where(t => t.ReceivedAt >= start);
        }
        if (filter.To is { } to && to < DateOnly.MaxValue)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            tickets = tickets.Where(t => t.ReceivedAt < end);
        }
        if (!string.IsNullOrWhiteSpace(filter.Product))
        {
            var product = filter.Product.Trim();
            tickets = tickets.Where(t => t.Product == product);
        }
        if (filter.Customer is { } customer) tickets = tickets.Where(t => t.CustomerId == customer);
        if (!filter.HasOutcomeFilters) return tickets;

        // The loyalty class kept on each complaint follows the three faces report's thresholds when it is asked for.
        var (_, settings) = await ReportOutcomes.PrepareWithSettingsAsync(db, now, ct, filter.Loyalty is null ? null : thresholds);
        var (sql, arguments) = OutcomeSql(filter, now, settings);
        // As IN (…): the database starts from the kept rows (a date range or a rare cut) or probes them per ticket, as its statistics say.
        var ids = db.Database.SqlQueryRaw<long>(sql, arguments);
        return tickets.Where(t => ids.Contains(t.Id));
    }

    /// <summary>
    /// The kept complaint outcomes that match the filter's report cuts, as one column "Value" of ticket ids; the
    /// conditions are the reports' (<see cref="RecoveryMatrixQuery"/>, the SLA report, the three faces report), and only
    /// those set are written. Public for the tests.
    /// </summary>
    public static (string Sql, object[] Arguments) OutcomeSql(QueueFilter f, DateTime now, RecoverySettings settings)
    {
        var arguments = new List<object>();
        string P(object value)
        {
            arguments.Add(value);
            return "{" + (arguments.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }
        var at = StoredValues.UnixMilliseconds(now);
        var where = new List<string> { "1 = 1" };
        // The dates again, on the kept rows' own receipt (the same instant as the ticket's): at a million tickets the
        // database then reads a date range from the receipt's index instead of every kept row.
        if (f.From is { } from) where.Add($"f.\"ReceivedAt\" >= {P(StoredValues.UnixMilliseconds(from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)))}");
        if (f.To is { } to && to < DateOnly.MaxValue)
            where.Add($"f.\"ReceivedAt\" < {P(StoredValues.UnixMilliseconds(to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)))}");
        if (f.Handled is { } handled)
            where.Add(handled switch
            {
                RecoveryColumn.ComplainedNotResolved => "f.\"Cell\" = 0",
                RecoveryColumn.ResolvedLate => "f.\"Cell\" = 1",
                RecoveryColumn.ResolvedWithinTarget => "f.\"Cell\" = 2",
                _ => "1 = 0", // who did not complain has no ticket
            });
        if (f.FirstResponse is { } first) where.Add(Target(first, "f.\"FirstRespondedAt\"", "f.\"FirstResponseDueAt\"", P(at)));
        if (f.Resolution is { } resolution) where.Add(Target(resolution, "f.\"ResolvedAt\"", "f.\"ResolutionDueAt\"", P(at)));
        if (f.Outcome is { } outcome)
        {
            var ended = $"f.\"Anchor\" + {P((long)settings.RepurchaseWindow.TotalMilliseconds)} <= {P(at)}";
            where.Add(outcome switch
            {
                RepurchaseDrill.BoughtAgain => $"{ended} AND f.\"Revenue\" IS NOT NULL",
                RepurchaseDrill.NotBoughtAgain => $"{ended} AND f.\"Revenue\" IS NULL",
                RepurchaseDrill.Measured => ended,
                _ => $"NOT ({ended})",
            });
        }
        if (f.Level is { } level) where.Add($"f.\"Level\" = {P(level.ToString())}");
        if (f.Tenure is { } band)
        {
            // As the reports: the first band has no lower bound (a customer first seen a moment after their complaint is new).
            var (min, max) = Tenure.Range(band);
            if (min > TimeSpan.Zero) where.Add($"f.\"Tenure\" >= {P((long)min.TotalMilliseconds)}");
            if (max is { } m) where.Add($"f.\"Tenure\" < {P((long)m.TotalMilliseconds)}");
        }
        if (f.Loyalty is { } loyalty) where.Add($"f.\"LoyaltyClass\" = {P(loyalty.ToString())}");
        // A remedy counts on a resolved complaint, as the remedy reports read it (a reopened ticket's earlier remedy is void).
        if (f.Remedy is { } remedy) where.Add($"f.\"Given\" = {P((long)remedy)} AND f.\"Cell\" <> 0");
        // How the remedy given matched the one asked for: only where one was given, on a resolved complaint.
        if (f.Asked is { } asked)
            where.Add("f.\"Given\" IS NOT NULL AND f.\"Cell\" <> 0 AND " + asked switch
            {
                RemedyMatch.AsAsked => "f.\"Sought\" = f.\"Given\"",
                RemedyMatch.OtherThanAsked => "f.\"Sought\" <> f.\"Given\"",
                _ => "f.\"Sought\" IS NULL",
            });
        if (f.Repeat is { } repeat) where.Add(repeat ? "f.\"IsRepeat\" = 1" : "f.\"IsRepeat\" = 0");
        if (f.Survey is { } survey)
            where.Add($"f.\"SurveySentAt\" <= {P(at)}" + (survey == SurveyDrill.Answered ? " AND f.\"SurveyAnsweredAt\" IS NOT NULL" : ""));
        return ($"SELECT f.\"TicketId\" AS \"Value\" FROM \"ComplaintOutcomes\" AS f WHERE {string.Join(" AND ", where)}", [.. arguments]);
    }

    /// <summary>The SLA report's rule: met when done by the due time; missed when done later, or not done and past due.</summary>
    private static string Target(TargetOutcome outcome, string done, string due, string now) => outcome switch
    {
        TargetOutcome.Met => $"{done} IS NOT NULL AND {done} <= {due}",
        TargetOutcome.Missed => $"({done} > {due} OR ({done} IS NULL AND {now} > {due}))",
        _ => $"({done} IS NOT NULL OR {now} > {due})",
    };

    /// <summary>The active drill-down filters, each with the link that clears it (names looked up only when needed).</summary>
    public static async Task<IReadOnlyList<DrillChip>> ChipsAsync(QueueFilter f, string view, DeskDbContext db, IStringLocalizer t, CancellationToken ct)
    {
        var chips = new List<DrillChip>();
        var culture = CultureInfo.CurrentCulture;
        void Add(string key, string label, QueueFilter without) => chips.Add(new(key, label, "/" + (without with { After = null }).ToQuery(view: view)));
        if (f.From is not null || f.To is not null)
            Add("received", t["Received {0}", DatePresets.Format(f.From, f.To, culture)], f with { From = null, To = null });
        if (f.Reported == true) Add("reported", t["Complaints the reports count"], f with { Reported = null });
        if (f.Handled is { } handled) Add("handled", t[RecoveryTables.ColumnLabel(handled)], f with { Handled = null });
        if (f.FirstResponse is { } first)
            Add("firstResponse", t[first switch { TargetOutcome.Met => "First response on time", TargetOutcome.Missed => "First response late", _ => "First response due or given" }],
                f with { FirstResponse = null });
        if (f.Resolution is { } resolution)
            Add("resolution", t[resolution switch { TargetOutcome.Met => "Resolved on time", TargetOutcome.Missed => "Resolved late or overdue", _ => "Resolution due or given" }],
                f with { Resolution = null });
        if (f.Outcome is { } outcome)
            Add("outcome", t[outcome switch
            {
                RepurchaseDrill.BoughtAgain => "Bought again",
                RepurchaseDrill.NotBoughtAgain => "Did not buy again",
                RepurchaseDrill.Measured => "Repurchase window ended",
                _ => "Repurchase window still open",
            }], f with { Outcome = null });
        if (f.Level is { } level) Add("level", t["{0}: {1}", t["Relationship level"], t[level.ToString()]], f with { Level = null });
        if (f.Tenure is { } band)
            Add("tenure", t["{0}: {1}", t["Tenure"], t[band switch { TenureBand.New => "New (under 6 months)", TenureBand.Established => "6 months to 2 years", _ => "2 years or more" }]],
                f with { Tenure = null });
        if (f.Loyalty is { } loyalty) Add("loyalty", t["{0}: {1}", t["Loyalty class"], t[Customers.LoyaltyBadges.ClassLabel(loyalty)]], f with { Loyalty = null });
        if (f.Remedy is { } remedy)
        {
            var kind = await db.RemedyKinds.AsNoTracking().Where(k => k.Id == remedy).Select(k => new { k.Name, k.NameZh }).SingleOrDefaultAsync(ct);
            var name = kind is null ? $"#{remedy}" : CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? kind.NameZh : kind.Name;
            Add("remedy", t["{0}: {1}", t["Remedy given"], name], f with { Remedy = null });
        }
        if (f.Asked is { } asked) Add("asked", t[RecoveryTables.MatchLabel(asked)], f with { Asked = null });
        if (f.Repeat is { } repeat) Add("repeat", t[repeat ? "Repeat complaint" : "First complaint"], f with { Repeat = null });
        if (!string.IsNullOrWhiteSpace(f.Product)) Add("product", t["{0}: {1}", t["Product"], f.Product.Trim()], f with { Product = null });
        if (f.Survey is { } survey) Add("survey", t[survey == SurveyDrill.Answered ? "Survey answered" : "Survey sent"], f with { Survey = null });
        if (f.Customer is { } customer)
        {
            var name = await db.Customers.AsNoTracking().Where(c => c.Id == customer).Select(c => c.Name).SingleOrDefaultAsync(ct);
            Add("customer", t["{0}: {1}", t["Customer"], name ?? $"#{customer}"], f with { Customer = null });
        }
        return chips;
    }
}
