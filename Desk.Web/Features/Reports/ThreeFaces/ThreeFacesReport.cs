using Desk.Web.Features.Reports.Recovery;
using Desk.Domain.Loyalty;
using Desk.Domain.Recovery;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace Desk.Web.Features.Reports.ThreeFaces;

/// <summary>How the three faces report cuts the answered surveys.</summary>
public enum FacesSection { Total, LoyaltyClass, RootCause, Month }

/// <summary>
/// One group of complaints with a sent survey: the three faces of loyalty side by side. How they feel (satisfaction with the
/// outcome and with the handling, 1–5), what they say they will do (intention to buy again, 1–5), what they did (bought
/// again within the window, from orders), plus the survey's response and the five SERVQUAL dimensions.
/// </summary>
/// <param name="Key">The loyalty class's name, the top-level root cause's id ("" when the complaint has none), or the month the survey went out (yyyy-MM).</param>
/// <param name="Sent">Surveys sent (the response rate's denominator).</param>
/// <param name="Answered">Of those, answered: every mean is over these.</param>
/// <param name="Repurchased">Among the answered, how many bought again, over those whose window has ended.</param>
/// <param name="Pending">Answered, but the window is still open: in the means, in no repurchase rate.</param>
public sealed record FacesRow(FacesSection Section, string Key, string Name, string NameZh, long Sent, long Answered,
    double? OutcomeSatisfaction, double? HandlingSatisfaction, double? Intention,
    double? Reliability, double? Responsiveness, double? Assurance, double? Empathy, double? Tangibles,
    Proportion Repurchased, long Pending)
{
    public double? ResponseRate => Sent == 0 ? null : (double)Answered / Sent;

    /// <summary>A 1–5 mean as a share of the scale, (mean − 1) / 4 in per cent, so it can stand beside a repurchase rate.</summary>
    public static double? Percent(double? mean) => mean is { } m ? Math.Round((m - 1) / 4 * 100, 1) : null;

    public static double? Percent(Proportion p) => p.Rate is { } r ? Math.Round(r * 100, 1) : null;
}

public sealed record ThreeFacesReport(RecoveryFilter Filter, int WindowDays, FacesRow Total, IReadOnlyList<FacesRow> Classes,
    IReadOnlyList<FacesRow> Causes, IReadOnlyList<FacesRow> Months)
{
    /// <summary>A class needs this many answers with an ended window before the reading names it.</summary>
    public const int MinimumForReading = 5;

    /// <summary>The class most satisfied with the outcome among those with enough measured answers; null when none has.</summary>
    public FacesRow? MostSatisfiedClass => Classes
        .Where(c => c.Repurchased.N >= MinimumForReading && c.OutcomeSatisfaction is not null)
        .OrderByDescending(c => c.OutcomeSatisfaction).ThenByDescending(c => c.Answered).FirstOrDefault();
}

/// <summary>
/// The three faces of loyalty (DOMAIN.md): per loyalty class and per root cause, what the follow-up survey says —
/// satisfaction and intention — beside what the orders say, so a manager sees where satisfied customers still leave.
/// In SQL, one statement over the kept outcomes (<see cref="ReportDialect"/>: the recovery matrix's rows, so the
/// same anchor, the same window, pending left out of the rate), each complaint with its survey, grouped four ways.
/// <list type="bullet">
/// <item>Complaints only (kind Complaint, not rejected): a question or a compliment has no repurchase outcome. Each
/// complaint counts once — a customer with two complaints answers two surveys.</item>
/// <item>The loyalty class is the one the last loyalty run gave the customer, by the same rule as
/// <see cref="LoyaltyRules.ClassOf"/> (R + F and M against <see cref="LoyaltyThresholds"/>, in SQL:
/// <see cref="ReportDialect.ClassOf"/>), kept with each complaint: a run that moves a customer's class marks their
/// rows, and other thresholds rebuild them.</item>
/// <item>The root cause is the top-level cause (a sub-cause counts for its cause), as in the Pareto.</item>
/// <item>The month is the month the survey was sent, so the response rate of a month is settled once its links expire.</item>
/// </list>
/// </summary>
public sealed class ThreeFacesQuery(DeskDbContext db, TimeProvider clock, LoyaltyThresholds thresholds)
{
    /// <summary>
    /// <see cref="LoyaltyRules.ClassOf"/> in SQL over a <c>CustomerLoyalty</c> row <c>l</c> (LEFT JOINed: no row, no orders);
    /// parameters @highLoyalty and @highSales. A test holds it to the C# rule customer by customer.
    /// </summary>
    public static readonly string LoyaltyClassSql = ReportDialect.ClassOf("l", "@highLoyalty", "@highSales");

    /// <summary>
    /// The statement, from the kept outcomes (each complaint with its survey, its cause and its customer's class):
    /// with a <paramref name="cutoff"/>, the whole weeks from the three faces rollup — plus, for the complaints whose
    /// survey went out or whose window ended since the cutoff, what changed — and the part weeks live; without one,
    /// every kept row live. Parameters those of <see cref="RecoveryMatrixQuery.Parameters"/>. The month is the one
    /// expression the databases write differently (<paramref name="sql"/>'s).
    /// </summary>
    public static string Sql(ReportDialect sql, RecoveryFilter filter, long? cutoff = null)
    {
        var key = sql.FacesKey;
        var names = ReportDialect.FacesMeasures.Select(m => m.Name).ToList();
        var where = RecoveryMatrixQuery.Where(filter with { From = null, To = null }, "f");
        var parts = new List<string>();
        string Live(string range, string rows, string sums) => $"""
            SELECT {key}, {sums} FROM "ComplaintOutcomes" AS f
            WHERE f."SurveySentAt" IS NOT NULL AND {where} AND {range} AND {rows} GROUP BY 1, 2, 3, 4, 5, 6
            """;
        if (cutoff is null)
            parts.Add(Live(RecoveryMatrixQuery.Where(filter, "f"), "f.\"SurveySentAt\" <= @now", ReportDialect.FacesSums("@now")));
        else
        {
            var plan = RollupPlan.Of(filter.From, filter.To, "f.\"ReceivedAt\"");
            if (plan.HasRollup)
                parts.Add($"""
                    SELECT r."Class", r."Cause", r."Month", r."Level", r."Band", r."Week", {string.Join(", ", names.Select(n => $"r.\"{n}\""))}
                    FROM "FacesRollup" AS r WHERE {plan.Weeks("r.\"Week\"")}{RecoveryMatrixQuery.RollupSegment(filter, "r")}
                    """);
            foreach (var (range, sinceCutoff) in plan.Live)
            {
                if (!sinceCutoff)
                {
                    parts.Add(Live(range, "f.\"SurveySentAt\" <= @now", ReportDialect.FacesSums("@now")));
                    continue;
                }
                // What changed between the cutoff and now: surveys sent since, and windows that ended since.
                var delta = ReportDialect.FacesSums("@now", "@cutoff");
                parts.Add(Live(range, "f.\"SurveySentAt\" > @cutoff AND f.\"SurveySentAt\" <= @now", delta));
                parts.Add(Live(range, "f.\"SurveySentAt\" <= @cutoff AND f.\"Anchor\" > @cutoff - @window AND f.\"Anchor\" <= @now - @window", delta));
            }
        }
        string Sum(string name) => $"COALESCE(SUM(g.\"{name}\"), 0)";
        var measures = string.Join(", ", new[] { Sum("Sent"), Sum("Answered") }
            .Concat(ReportDialect.Scores.Select(score => $"CAST(SUM(g.\"{score}Sum\") AS DOUBLE PRECISION) / NULLIF(SUM(g.\"{score}N\"), 0)"))
            .Concat([Sum("Measured"), Sum("Pending"), Sum("Repurchased")]));
        return $"""
            WITH g AS MATERIALIZED (
                SELECT u."Class", u."Cause", u."Month", {string.Join(", ", names.Select(n => $"SUM(u.\"{n}\") AS \"{n}\""))}
                FROM (SELECT '' AS "Class", 0 AS "Cause", '' AS "Month", '' AS "Level", 0 AS "Band", 0 AS "Week", {string.Join(", ", names.Select(n => $"0 AS \"{n}\""))} WHERE false
                      UNION ALL {string.Join("\n UNION ALL ", parts)}) AS u
                GROUP BY u."Class", u."Cause", u."Month"
                HAVING SUM(u."Sent") <> 0)
            SELECT 'Total', '', {measures} FROM g
            UNION ALL SELECT 'LoyaltyClass', g."Class", {measures} FROM g GROUP BY g."Class"
            UNION ALL SELECT 'RootCause', CASE WHEN g."Cause" = -1 THEN '' ELSE CAST(g."Cause" AS TEXT) END, {measures} FROM g GROUP BY g."Cause"
            UNION ALL SELECT 'Month', g."Month", {measures} FROM g GROUP BY g."Month"
            """;
    }

    public async Task<ThreeFacesReport> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var read = await ReportOutcomes.ReadAsync(db, now, ct, thresholds);
        var (cutoff, settings) = (read.Cutoff, read.Settings);
        var parameters = RecoveryMatrixQuery.Parameters(filter, now, settings, cutoff).ToDictionary(p => p.Name, p => p.Value);

        var rows = new List<FacesRow>();
        await using (var command = await ReportSql.CommandAsync(db, Sql(db.Provider.Reports, filter, cutoff), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            double? Mean(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            while (await reader.ReadAsync(ct))
                rows.Add(new FacesRow(Enum.Parse<FacesSection>(reader.GetString(0)), reader.IsDBNull(1) ? "" : reader.GetString(1), "", "",
                    reader.GetInt64(2), reader.GetInt64(3), Mean(4), Mean(5), Mean(6), Mean(7), Mean(8), Mean(9), Mean(10), Mean(11),
                    new Proportion(reader.GetInt64(14), reader.GetInt64(12)), reader.GetInt64(13)));
        }

        // Every class has a row (and a place in the chart), answered or not, in the grid's order.
        var classes = Enum.GetValues<LoyaltyClass>().OrderBy(c => c == LoyaltyClass.NoPurchases).Select(c =>
        {
            var label = Desk.Web.Features.Customers.LoyaltyBadges.ClassLabel(c);
            var row = rows.FirstOrDefault(r => r.Section == FacesSection.LoyaltyClass && r.Key == c.ToString())
                ?? Empty(FacesSection.LoyaltyClass, c.ToString());
            return row with { Name = label, NameZh = label };
        }).ToList();

        var names = await db.RootCauses.AsNoTracking().Where(c => c.ParentId == null).ToDictionaryAsync(c => c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ct);
        var causes = rows.Where(r => r.Section == FacesSection.RootCause)
            .Select(r => r with
            {
                Name = names.GetValueOrDefault(r.Key)?.Name ?? (r.Key.Length == 0 ? "" : "#" + r.Key),
                NameZh = names.GetValueOrDefault(r.Key)?.NameZh ?? (r.Key.Length == 0 ? "" : "#" + r.Key),
            })
            .OrderBy(r => r.Key.Length == 0).ThenByDescending(r => r.Answered).ThenByDescending(r => r.Sent).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
        var months = rows.Where(r => r.Section == FacesSection.Month).Select(r => r with { Name = r.Key, NameZh = r.Key })
            .OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        var total = rows.Single(r => r.Section == FacesSection.Total);
        return new ThreeFacesReport(filter, settings.RepurchaseWindowDays, total, classes, causes, months);
    }

    private static FacesRow Empty(FacesSection section, string key) =>
        new(section, key, "", "", 0, 0, null, null, null, null, null, null, null, null, new Proportion(0, 0), 0);
}
