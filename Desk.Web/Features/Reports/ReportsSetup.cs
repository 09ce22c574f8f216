using Desk.Web.Features.Reports.LossReasons;
using Desk.Web.Features.Reports.Recovery;
using Desk.Web.Features.Reports.Remedies;
using Desk.Web.Features.Reports.RootCauses;
using Desk.Web.Features.Reports.Sla;
using Desk.Web.Features.Reports.WinBack;

namespace Desk.Web.Features.Reports;

/// <summary>The managers' reports: what happened after complaints, measured from orders in SQL.</summary>
public static class ReportsSetup
{
    public static WebApplicationBuilder AddDeskReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<RecoveryMatrixQuery>();
        builder.Services.AddScoped<RootCauseParetoQuery>();
        builder.Services.AddScoped<LossReasonsQuery>();
        builder.Services.AddScoped<WinBackQuery>();
        builder.Services.AddScoped<SlaReportQuery>();
        builder.Services.AddScoped<RemedyEffectivenessQuery>();
        builder.Services.AddScoped<Dashboard.DashboardQuery>(); // the managers' landing page reads the reports' queries
        builder.Services.AddOptions<ReportsOptions>().BindConfiguration(ReportsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<CatchingUpFilter>();
        builder.Services.AddSingleton<ReportOutcomesRefresher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReportOutcomesRefresher>());
        return builder;
    }
}
