using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Desk.Web.Email;

public static class EmailSetup
{
    /// <summary>Mail in (IMAP mailboxes, or the drop folder) and out (the outbox, sent by SMTP or into the pickup folder).</summary>
    public static WebApplicationBuilder AddDeskEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.Mailboxes.All(m => !string.IsNullOrWhiteSpace(m.Host) && !string.IsNullOrWhiteSpace(m.User)
                    && (!string.IsNullOrEmpty(m.Password) || !string.IsNullOrEmpty(m.OAuth2AccessToken))),
                "Every Desk:Mail:Mailboxes entry needs Host, User, and a Password or an OAuth2AccessToken (kept out of the repository: user secrets or environment variables).")
            .Validate(o => o.Mailboxes.Select(m => m.DisplayName).Distinct(StringComparer.OrdinalIgnoreCase).Count() == o.Mailboxes.Count,
                "Two Desk:Mail:Mailboxes entries have the same name; give each a distinct Name.")
            .Validate(o => !o.Smtp.IsConfigured || string.IsNullOrEmpty(o.Smtp.User) || !string.IsNullOrEmpty(o.Smtp.Password) || !string.IsNullOrEmpty(o.Smtp.OAuth2AccessToken),
                "Desk:Mail:Smtp:User is set without a Password or an OAuth2AccessToken.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<MailStatus>();
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddScoped<MailIntake>();
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MailSender>());
        var mailboxes = builder.Configuration.GetSection(MailOptions.Section + ":Mailboxes").GetChildren().Any();
        if (mailboxes) builder.Services.AddHostedService<ImapIntake>();
        else
        {
            builder.Services.AddSingleton<DropFolderIntake>();
            builder.Services.AddHostedService(services => services.GetRequiredService<DropFolderIntake>());
        }
        builder.Services.AddHealthChecks().AddCheck<MailHealthCheck>("mail");
        return builder;
    }
}

/// <summary>Healthy while every mail source polled successfully within <see cref="MailOptions.StaleAfterMinutes"/>; names the stale ones.</summary>
public sealed class MailHealthCheck(MailStatus status, IOptions<MailOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var staleAfter = TimeSpan.FromMinutes(options.Value.StaleAfterMinutes);
        var sources = status.Sources;
        var data = sources.ToDictionary(s => s.Source, s => (object)new
        {
            lastSuccessAt = s.LastSuccessAt,
            lastError = s.LastError,
            taken = s.Taken,
            idle = s.Idle,
            stale = status.IsStale(s, staleAfter),
        });
        var stale = sources.Where(s => status.IsStale(s, staleAfter)).ToList();
        return Task.FromResult(stale.Count == 0
            ? HealthCheckResult.Healthy(sources.Count == 0 ? "no mail source" : string.Join("; ", sources.Select(s => $"{s.Source}: last poll {s.LastSuccessAt:u}")), data)
            : HealthCheckResult.Unhealthy(string.Join("; ", stale.Select(s =>
                $"{s.Source}: no successful poll since {(s.LastSuccessAt is { } at ? at.ToString("u") : "start")}{(s.LastError is null ? "" : $" ({s.LastError})")}")), data: data));
    }
}
