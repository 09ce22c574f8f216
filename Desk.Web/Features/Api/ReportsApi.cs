using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Desk.Domain.Customers;
using Desk.Domain.Tickets;
using Desk.Web.Features.Reports;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.Remedies;
using Desk.Web.Features.Reports.RootCauses;
using Desk.Web.Features.Reports.Sla;

namespace Desk.Web.Features.Api;

/// <summary>
/// <c>GET /api/v1/reports/{name}</c> (scope <see cref="ApiScopes.ReportsRead"/>): the figures of the dashboard and of the
/// reports as JSON, from the very query classes the pages read (<c>Features/Reports</c>, <c>Features/Dashboard</c>), with
/// the pages' filters under the same names in the query string: a number here is the number on the page.
/// </summary>
public static class ReportsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new IntervalConverter() },
    };

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        Describe(app.MapGet("/api/v1/reports/dashboard", async (HttpContext http, Dashboard.DashboardQuery dashboard, CancellationToken ct) =>
                Results.Json(await dashboard.ReadAsync(TicketWritesApi.ActorOf(http), ct), Json))
            .Produces<Dashboard.Dashboard>(), "Dashboard", "The managers' dashboard: this week against last week and a year ago, open and overdue tickets, recovery over the year, rising root causes, the win-back list's size.", filters: false);
        Describe(app.MapGet("/api/v1/reports/sla", (HttpContext http, SlaReportQuery sla, CancellationToken ct) =>
                WithFiltersAsync(http, form => sla.RunAsync(form.ToFilter(), ct)))
            .Produces<SlaReport>(), "SlaReport", "SLA and team: on-time first responses and resolutions by week and severity, and by agent (/reports/sla).");
        Describe(app.MapGet("/api/v1/reports/recovery", (HttpContext http, RecoveryMatrixQuery recovery, CancellationToken ct) =>
                WithFiltersAsync(http, form => recovery.RunAsync(form.ToFilter(), ct)))
            .Produces<RecoveryMatrix>(), "RecoveryReport", "Did they come back? Repurchase by severity and by how the complaint went, and by remedy given (/reports/recovery).");
        Describe(app.MapGet("/api/v1/reports/remedies", (HttpContext http, RemedyEffectivenessQuery remedies, CancellationToken ct) =>
                WithFiltersAsync(http, form => remedies.RunAsync(form.ToFilter(), ct)))
            .Produces<RemedyEffectiveness>(), "RemediesReport", "Which remedies keep customers: repurchase after each remedy kind, and what keeping a customer cost (/reports/remedies).");
        Describe(app.MapGet("/api/v1/reports/root-causes", async (HttpContext http, RootCauseParetoQuery pareto, CancellationToken ct) =>
            {
                if (!TryDates(http, out var from, out var to, out var refusal)) return refusal!;
                if (!TryEnum<Severity>(http, "severity", out var severity, out refusal) || !TryEnum<Channel>(http, "channel", out var channel, out refusal)) return refusal!;
                var form = new ParetoForm { From = from, To = to, Severity = severity, Channel = channel, Product = http.Request.Query["product"].FirstOrDefault() };
                return Results.Json(await pareto.RunAsync(form.ToFilter(), ct), Json);
            })
            .Produces<RootCausePareto>(), "RootCausesReport", "Why customers complain: complaints by top-level root cause, a Pareto (/reports/root-causes). Filters: from, to, severity, channel, product.", filters: false);
        return app;
    }

    private static void Describe(RouteHandlerBuilder endpoint, string name, string summary, bool filters = true) => endpoint
        .RequireScope(ApiScopes.ReportsRead)
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .WithName(name)
        .WithTags("Reports")
        .WithSummary(summary)
        .WithDescription(filters
            ? "Filters as on the report's page: from and to (yyyy-MM-dd, inclusive), level (the customers' relationship level), tenure (New, Established, LongStanding)."
            : "");

    /// <summary>The report with the filters every report page takes (<see cref="ReportFilterForm"/>), or 400 naming a wrong one.</summary>
    private static async Task<IResult> WithFiltersAsync<T>(HttpContext http, Func<ReportFilterForm, Task<T>> run)
    {
        if (!TryDates(http, out var from, out var to, out var refusal)) return refusal!;
        if (!TryEnum<RelationshipLevel>(http, "level", out var level, out refusal) || !TryEnum<TenureBand>(http, "tenure", out var tenure, out refusal)) return refusal!;
        return Results.Json(await run(new ReportFilterForm { From = from, To = to, Level = level, Tenure = tenure }), Json);
    }

    private static bool TryDates(HttpContext http, out DateOnly? from, out DateOnly? to, out IResult? refusal)
    {
        to = null;
        return TryDate(http, "from", out from, out refusal) && TryDate(http, "to", out to, out refusal);
    }

    private static bool TryDate(HttpContext http, string name, out DateOnly? value, out IResult? refusal)
    {
        value = null;
        refusal = null;
        var text = http.Request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text)) return true;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = date;
            return true;
        }
        refusal = ApiIdempotency.Problem(StatusCodes.Status400BadRequest, $"{name} is not a date: {text}", "Send a date as yyyy-MM-dd, e.g. 2026-03-14.");
        return false;
    }

    private static bool TryEnum<T>(HttpContext http, string name, out T? value, out IResult? refusal) where T : struct, Enum
    {
        value = null;
        refusal = null;
        var text = http.Request.Query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text)) return true;
        if (!int.TryParse(text, out _) && Enum.TryParse<T>(text, ignoreCase: true, out var parsed))
        {
            value = parsed;
            return true;
        }
        refusal = ApiIdempotency.Problem(StatusCodes.Status400BadRequest, $"{name} is not one of the desk's: {text}", $"Use one of {string.Join(", ", Enum.GetNames<T>())}.");
        return false;
    }

    /// <summary>A 95 % interval, (Low, High), as <c>{"low": …, "high": …}</c>: the tuple's names are not there at run time.</summary>
    private sealed class IntervalConverter : JsonConverter<(double Low, double High)>
    {
        public override (double Low, double High) Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("The API only writes intervals.");

        public override void Write(Utf8JsonWriter writer, (double Low, double High) value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("low", value.Low);
            writer.WriteNumber("high", value.High);
            writer.WriteEndObject();
        }
    }
}
