using Desk.Web.Data;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Desk.Web.Email.Servers;
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
                    && (!string.IsNullOrEmpty(m.Password) || !string.IsNullOrEmpty(m.OAuth2AccessToken) || m.OAuth2.IsConfigured)),
                "Every Desk:Mail:Mailboxes entry needs Host, User, and a Password, an OAuth2 section or an OAuth2AccessToken (kept out of the repository: user secrets or environment variables).")
            .Validate(o => o.Mailboxes.Select(m => m.DisplayName).Distinct(StringComparer.OrdinalIgnoreCase).Count() == o.Mailboxes.Count,
                "Two Desk:Mail:Mailboxes entries have the same name; give each a distinct Name.")
            .Validate(o => !o.Smtp.IsConfigured || string.IsNullOrEmpty(o.Smtp.User) || !string.IsNullOrEmpty(o.Smtp.Password) || !string.IsNullOrEmpty(o.Smtp.OAuth2AccessToken) || o.Smtp.OAuth2.IsConfigured,
                "Desk:Mail:Smtp:User is set without a Password, an OAuth2 section or an OAuth2AccessToken.")
            .Validate(o => !o.Smtp.OAuth2.IsConfigured || !string.IsNullOrWhiteSpace(o.Smtp.User),
                "Desk:Mail:Smtp:OAuth2 is set without Desk:Mail:Smtp:User (the address XOAUTH2 signs in as).")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MailOptions>, OAuth2SectionsValidation>();
        builder.Services.AddSingleton(services => new OAuth2Tokens(OAuth2Tokens.CreateHttpClient(), services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<OAuth2Tokens>>()));
        builder.Services.AddSingleton(services =>
        {
            // Mail queued on any desk wakes this one's sender.
            var signal = new OutboxSignal();
            services.GetRequiredService<DeskSignals>().On(DeskSignals.Outbox, signal.Pulse);
            return signal;
        });
        builder.Services.AddSingleton<MailStatus>(); // kept in the database, written by its own background writer
        builder.Services.AddHostedService(services => services.GetRequiredService<MailStatus>());
        builder.Services.AddScoped<Outbox>();
        builder.Services.AddScoped<MailIntake>();
        builder.Services.AddSingleton<MailSender>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MailSender>());
        // Mail servers admins keep on /admin/mail, beside the settings file's: secrets under Data Protection.
        builder.Services.AddSingleton<MailSecrets>();
        builder.Services.AddScoped<MailServers>();
        builder.Services.AddSingleton<MailConnectionTest>();
        // The IMAP pollers follow the mailboxes as admins change them; the drop folder poller follows the drop folder (the
        // page's, else the settings file's while the settings name no mailbox) the same way.
        builder.Services.AddHostedService<ImapIntake>();
        builder.Services.AddSingleton<DropFolderIntake>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DropFolderIntake>());
        builder.Services.AddHealthChecks().AddCheck<MailHealthCheck>("mail");
        return builder;
    }
}

/// <summary>Every OAuth2 section that is set is complete; the message names the first one that is not and what it lacks.</summary>
public sealed class OAuth2SectionsValidation : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var sections = options.Mailboxes.Select((m, i) => ($"{MailOptions.Section}:Mailboxes:{i}:OAuth2", m.OAuth2))
            .Append(($"{MailOptions.Section}:Smtp:OAuth2", options.Smtp.OAuth2));
        var problems = sections.Where(s => s.Item2.IsConfigured).Select(s => s.Item2.Problem(s.Item1)).OfType<string>().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Healthy while every mail source polled successfully within <see cref="MailOptions.StaleAfterMinutes"/>; names the stale ones.</summary>
public sealed class MailHealthCheck(MailStatus status, IOptions<MailOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var staleAfter = TimeSpan.FromMinutes(options.Value.StaleAfterMinutes);
        var sources = await status.SourcesAsync(cancellationToken);
        var data = sources.ToDictionary(s => s.Source, s => (object)new
        {
            lastSuccessAt = s.LastSuccessAt,
            lastError = s.LastError,
            taken = s.Taken,
            idle = s.Idle,
            polledBy = s.PolledBy,
            stale = status.IsStale(s, staleAfter),
        });
        var stale = sources.Where(s => status.IsStale(s, staleAfter)).ToList();
        return stale.Count == 0
            ? HealthCheckResult.Healthy(sources.Count == 0 ? "no mail source" : string.Join("; ", sources.Select(s => $"{s.Source}: last poll {s.LastSuccessAt:u}")), data)
            : HealthCheckResult.Unhealthy(string.Join("; ", stale.Select(s =>
                $"{s.Source}: no successful poll since {(s.LastSuccessAt is { } at ? at.ToString("u") : "start")}{(s.LastError is null ? "" : $" ({s.LastError})")}")), data: data);
    }
}
