using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Data;
using Microsoft.EntityFrameworkCore;
using Desk.Domain.Recovery;

namespace Desk.Web.Features.Reports.WinBack;

/// <summary>A customer worth winning back: what they have spent, their last order, the complaint after which they went quiet.</summary>
public sealed record WinBackRow(long TicketId, long CustomerId, string Name, string Email, string Subject, DateTime Anchor, decimal Value,
    DateTime? LastOrderAt, DateTime? WinBackSentAt);

/// <summary>
/// The win-back list: customers whose latest complaint's repurchase window has ended with no order since (silence),
/// highest lifetime value first — computed in SQL, at most <c>limit</c> rows — with when a win-back mail last went out.
/// </summary>
public sealed class WinBackQuery(DeskDbContext db, TimeProvider clock)
{
    /// <summary>
    /// The list's SQL; parameters those of <see cref="RecoveryMatrixQuery.Parameters"/> plus @minimum and @limit. The filters
    /// (received from–to, the customer's level, tenure at receipt) choose among customers' <i>latest</i> complaints, so a
    /// customer whose latest complaint falls outside them is not listed for an older one.
    /// </summary>
    public static string Sql(RecoveryFilter filter) => $"""
        SELECT f."TicketId", f."CustomerId", cu."Name", cu."Email", t."Subject", f."Anchor", f."CustomerValue", f."LastOrderAt",
               (SELECT MAX(m."CreatedAt") FROM "OutboundMails" AS m WHERE m."TicketId" = f."TicketId" AND m."Kind" = 'WinBack') AS "WinBackSentAt"
        FROM "ComplaintOutcomes" AS f
        JOIN "Customers" AS cu ON cu."Id" = f."CustomerId"
        JOIN "Tickets" AS t ON t."Id" = f."TicketId"
        WHERE f."IsLatest" = 1 AND f."NextOrderAt" IS NULL AND f."Anchor" + @window <= @now AND f."CustomerValue" >= @minimum
          AND {RecoveryMatrixQuery.Where(filter, "f")}
        ORDER BY f."CustomerValue" DESC, f."TicketId" DESC
        LIMIT @limit
        """;

    public Task<IReadOnlyList<WinBackRow>> RunAsync(decimal minimumValue, int limit, CancellationToken ct) =>
        RunAsync(new RecoveryFilter(), minimumValue, limit, ct);

    public async Task<IReadOnlyList<WinBackRow>> RunAsync(RecoveryFilter filter, decimal minimumValue, int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (_, settings) = await ReportOutcomes.PrepareWithSettingsAsync(db, now, ct);
        var parameters = RecoveryMatrixQuery.Parameters(filter, now, settings)
            .ToDictionary(p => p.Name, p => p.Value);
        parameters["@minimum"] = minimumValue;
        parameters["@limit"] = limit;
        await using var command = await ReportSql.CommandAsync(db, Sql(filter), parameters, ct);
        var rows = new List<WinBackRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new WinBackRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                ReportSql.Time(reader.GetInt64(5)), ReportSql.Money(reader.GetInt64(6)), reader.IsDBNull(7) ? null : ReportSql.Time(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : ReportSql.Time(reader.GetInt64(8))));
        return rows;
    }
}
