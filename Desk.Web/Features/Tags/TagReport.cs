using Desk.Web.Features.Reports.Recovery;
using Desk.Domain.Recovery;
using Desk.Web.Data;
using Desk.Web.Features.Reports;

namespace Desk.Web.Features.Tags;

/// <summary>One tag: its complaints, and the share of their customers who bought again (among those whose window has ended).</summary>
public sealed record TagRow(string Tag, long Complaints, long Pending, Proportion Repurchased);

public sealed record TagReport(RecoveryFilter Filter, int WindowDays, IReadOnlyList<TagRow> Rows);

/// <summary>
/// The tag breakdown: complaints per tag and the repurchase share among them, counted in SQL over the kept complaint
/// outcomes (the recovery report's rows: same complaints, same window, same filters) joined to the tag table through
/// its key. A complaint with two tags counts under each. At most <see cref="MaxTags"/> tags, the most used first.
/// </summary>
public sealed class TagReportQuery(DeskDbContext db, TimeProvider clock)
{
    public const int MaxTags = 100;

    /// <summary>Parameters as <see cref="RecoveryMatrixQuery.Parameters"/> writes them. One text for both databases.</summary>
    public static string Sql(RecoveryFilter filter) => $"""
        SELECT g."Name", COUNT(*), COUNT(CASE WHEN f."Anchor" + @window > @now THEN 1 END),
               COUNT(CASE WHEN f."Anchor" + @window <= @now THEN 1 END), COUNT(CASE WHEN f."Anchor" + @window <= @now THEN f."Revenue" END)
        FROM "TicketTags" AS g JOIN "ComplaintOutcomes" AS f ON f."TicketId" = g."TicketId"
        WHERE {RecoveryMatrixQuery.Where(filter, "f")}
        GROUP BY g."Name"
        ORDER BY COUNT(*) DESC, g."Name"
        LIMIT {MaxTags}
        """;

    public async Task<TagReport> RunAsync(RecoveryFilter filter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var read = await ReportOutcomes.ReadAsync(db, now, ct);
        var parameters = RecoveryMatrixQuery.Parameters(filter, now, read.Settings).ToDictionary(p => p.Name, p => p.Value);
        var rows = new List<TagRow>();
        await using (var command = await ReportSql.CommandAsync(db, Sql(filter), parameters, ct))
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add(new TagRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), new Proportion(reader.GetInt64(4), reader.GetInt64(3))));
        }
        return new TagReport(filter, read.Settings.RepurchaseWindowDays, rows);
    }
}
