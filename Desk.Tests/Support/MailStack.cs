using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using Microsoft.AspNetCore.Hosting;
using MimeKit;

namespace Desk.Tests.Support;

/// <summary>
/// A real mail stack on 127.0.0.1, run by <c>scripts/mailstack</c> in a fresh temp folder: Exim takes
/// SMTP (plain with STARTTLS on <see cref="SmtpPort"/>, implicit TLS on <see cref="SmtpsPort"/>) and
/// hands mail over LMTP to Dovecot, which serves the Maildirs over IMAP (<see cref="ImapPort"/>, STARTTLS)
/// and IMAPS (<see cref="ImapsPort"/>). A mailbox's password works for IMAP login and for SMTP AUTH; IMAP takes OAuth2
/// tokens too once <see cref="UseOAuth2IntrospectionAsync"/> names an endpoint that vouches for them.
/// Exim accepts a recipient only when it is a known user and relays nothing, with or without AUTH.
/// The TLS certificate is self-signed: <see cref="ValidateServerCertificate"/> accepts exactly it.
/// Share one instance through <see cref="MailStackCollection"/>; mark tests <see cref="MailStackFactAttribute"/>.
/// </summary>
public sealed class MailStack : IAsyncLifetime
{
    public const string EximPath = "/usr/sbin/exim4";
    public const string DovecotPath = "/usr/sbin/dovecot";
    private const string FolderPrefix = "desk-mailstack-";
    private const string OwnerFile = "owner.pid";

    private static readonly string Script = Repository.PathOf("scripts", "mailstack");
    private string? _folder;
    private X509Certificate2? _certificate;

    /// <summary>True when Exim and Dovecot are installed (<c>scripts/mailstack install</c>).</summary>
    public static bool IsInstalled => File.Exists(EximPath) && File.Exists(DovecotPath);

    /// <summary>Why mail stack tests are skipped here, or null when they run (always under CI=true, where they must pass).</summary>
    public static string? SkipReason =>
        Environment.GetEnvironmentVariable("CI") == "true" ? null
        : !IsInstalled ? NotInstalled
        : !Environment.IsPrivilegedProcess ? "The mail stack needs root (Dovecot and Exim switch users): run the tests as root."
        : null;

    private const string NotInstalled = $"Exim or Dovecot is not installed ({EximPath}, {DovecotPath}); scripts/mailstack install (or .ci/run) installs it.";

    public string Host => "127.0.0.1";
    public int SmtpPort { get; private set; }
    public int SmtpsPort { get; private set; }
    public int ImapPort { get; private set; }
    public int ImapsPort { get; private set; }

    /// <summary>The stack's self-signed certificate (PEM, SAN localhost and 127.0.0.1).</summary>
    public string CertificatePath { get; private set; } = "";

    /// <summary>The folder the script keeps configs, logs and Maildirs in (<c>log/</c>, <c>exim/log/</c> when a test needs to look).</summary>
    public string Folder => _folder ?? throw NotStarted();

    public async Task InitializeAsync()
    {
        // Skipped tests still get their collection fixture; under CI=true a missing install fails them on NotStarted.
        if (SkipReason is not null || !IsInstalled) return;
        await StopAbandonedInstancesAsync();
        var folder = Directory.CreateTempSubdirectory(FolderPrefix);
        // Dovecot (as nobody) and Exim (as Debian-exim) must traverse every parent; CreateTempSubdirectory makes 0700.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        _folder = folder.FullName;
        string lines;
        try
        {
            lines = await RunAsync("start", StackFolder);
        }
        catch
        {
            // xUnit does not dispose a fixture whose start failed; the start's failure is the one to report.
            try { await DisposeAsync(); } catch (InvalidOperationException) { } catch (IOException) { }
            throw;
        }
        var values = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1]);
        SmtpPort = int.Parse(values["SMTP_PORT"], CultureInfo.InvariantCulture);
        SmtpsPort = int.Parse(values["SMTPS_PORT"], CultureInfo.InvariantCulture);
        ImapPort = int.Parse(values["IMAP_PORT"], CultureInfo.InvariantCulture);
        ImapsPort = int.Parse(values["IMAPS_PORT"], CultureInfo.InvariantCulture);
        CertificatePath = values["CERT"];
        _certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(CertificatePath));
    }

    public async Task DisposeAsync()
    {
        if (_folder is null) return;
        try
        {
            await RunAsync("stop", StackFolder);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
            _certificate?.Dispose();
            _folder = null;
        }
    }

    /// <summary>A mailbox for a full address (its domain becomes local); returns once IMAP login with it works.</summary>
    public Task AddUserAsync(string address, string password) => AddUsersAsync((address, password));

    /// <summary>Several mailboxes in one run of the script; a new one signs in at once, a changed password within about a second.</summary>
    public Task AddUsersAsync(params (string Address, string Password)[] users) =>
        RunAsync(["add-user", StackFolder, .. users.SelectMany(user => new[] { user.Address, user.Password })]);

    /// <summary>
    /// IMAP also takes SASL XOAUTH2 and OAUTHBEARER: Dovecot POSTs <c>token=…</c> to <paramref name="introspectionUrl"/>
    /// (RFC 7662) and signs in when the JSON answer has <c>"active": true</c> and <c>"username"</c> equal to the login name.
    /// Null turns them off. Passwords work throughout; Dovecot reloads, open sessions stay; it holds across restarts.
    /// </summary>
    public Task UseOAuth2IntrospectionAsync(string? introspectionUrl) => RunAsync("oauth2", StackFolder, introspectionUrl ?? "off");

    /// <summary>Stops Exim only: SMTP connections are refused, IMAP goes on.</summary>
    public Task StopSmtpAsync() => RunAsync("stop-smtp", StackFolder);

    /// <summary>Starts Exim again on the same ports; mail it queued is delivered.</summary>
    public Task StartSmtpAsync() => RunAsync("start-smtp", StackFolder);

    /// <summary>Stops and starts both daemons on the same ports; users and Maildirs stay (so does UIDVALIDITY).</summary>
    public Task RestartAsync() => RunAsync("start", StackFolder, "--smtp-port", Port(SmtpPort), "--smtps-port", Port(SmtpsPort),
        "--imap-port", Port(ImapPort), "--imaps-port", Port(ImapsPort));

    /// <summary>Accepts exactly the stack's own certificate; for MailKit's <c>ServerCertificateValidationCallback</c>.</summary>
    /// <summary>Points a desk's sending at this stack's plain SMTP port, as <paramref name="address"/> signing in with <paramref name="password"/>.</summary>
    public void SendThrough(IWebHostBuilder builder, string address, string password)
    {
        builder.UseSetting("Desk:Mail:Address", address);
        builder.UseSetting("Desk:Mail:Smtp:Host", Host);
        builder.UseSetting("Desk:Mail:Smtp:Port", SmtpPort.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Desk:Mail:Smtp:Security", "None");
        builder.UseSetting("Desk:Mail:Smtp:User", address);
        builder.UseSetting("Desk:Mail:Smtp:Password", password);
    }

    public bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && _certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(_certificate.RawData);

    /// <summary>Sends over plain SMTP without AUTH, as another mail server would: the envelope comes from the headers.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var smtp = await ConnectSmtpAsync();
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(quit: true);
    }

    /// <summary>
    /// A connected SMTP client; signed in when <paramref name="address"/> is given. <paramref name="security"/>
    /// picks the port: <see cref="SecureSocketOptions.SslOnConnect"/> the SMTPS one, anything else the plain one.
    /// </summary>
    public async Task<SmtpClient> ConnectSmtpAsync(string? address = null, string? password = null, SecureSocketOptions security = SecureSocketOptions.None)
    {
        var smtp = new SmtpClient { ServerCertificateValidationCallback = ValidateServerCertificate, CheckCertificateRevocation = false, Timeout = 10_000 };
        try
        {
            await smtp.ConnectAsync(Host, security == SecureSocketOptions.SslOnConnect ? SmtpsPort : EnsureStarted(SmtpPort), security);
            if (address is not null) await smtp.AuthenticateAsync(address, password ?? "");
            return smtp;
        }
        catch
        {
            smtp.Dispose();
            throw;
        }
    }

    /// <summary>A signed-in IMAP client; <see cref="SecureSocketOptions.SslOnConnect"/> uses the IMAPS port, anything else the plain one.</summary>
    public async Task<ImapClient> ConnectImapAsync(string address, string password, SecureSocketOptions security = SecureSocketOptions.None)
    {
        var imap = new ImapClient { ServerCertificateValidationCallback = ValidateServerCertificate, CheckCertificateRevocation = false, Timeout = 10_000 };
        try
        {
            await imap.ConnectAsync(Host, security == SecureSocketOptions.SslOnConnect ? ImapsPort : EnsureStarted(ImapPort), security);
            await imap.AuthenticateAsync(address, password);
            return imap;
        }
        catch
        {
            imap.Dispose();
            throw;
        }
    }

    /// <summary>Every message in the mailbox's INBOX, oldest first.</summary>
    public async Task<IReadOnlyList<MimeMessage>> FetchAllAsync(string address, string password)
    {
        using var imap = await ConnectImapAsync(address, password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var messages = new List<MimeMessage>();
        foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.All))
            messages.Add(await imap.Inbox.GetMessageAsync(uid));
        await imap.DisconnectAsync(quit: true);
        return messages;
    }

    /// <summary>
    /// The first message in the mailbox's INBOX, already there or arriving within <paramref name="timeout"/>,
    /// for which <paramref name="match"/> is true; a <see cref="TimeoutException"/> naming what was there otherwise.
    /// Reads by UID, so mail moved out of INBOX meanwhile does not confuse it.
    /// </summary>
    public async Task<MimeMessage> WaitForMessageAsync(string address, string password, Func<MimeMessage, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var imap = await ConnectImapAsync(address, password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var seen = new List<string>();
        var next = UniqueId.MinValue;
        while (true)
        {
            foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.Uids(new UniqueIdRange(next, UniqueId.MaxValue))))
            {
                if (uid < next) continue; // "n:*" always holds the last message, even below n
                next = new UniqueId(uid.Id + 1);
                var message = await imap.Inbox.GetMessageAsync(uid);
                if (match(message))
                {
                    await imap.DisconnectAsync(quit: true);
                    return message;
                }
                seen.Add($"\"{message.Subject}\" {message.MessageId}");
            }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"No matching message reached {address}'s INBOX within {timeout.TotalSeconds:0.#} s; it holds "
                    + (seen.Count == 0 ? "nothing." : string.Join(", ", seen)));
            await Task.Delay(100);
            await imap.NoOpAsync(); // Dovecot reports new mail in the NOOP response
        }
    }

    /// <summary>
    /// The Maildir Dovecot delivers <paramref name="address"/>'s mail into: one file per message under its <c>new/</c> and
    /// <c>cur/</c>. For counting hundreds of mailboxes at once, where signing in to each would take long.
    /// </summary>
    public string MaildirOf(string address)
    {
        var at = address.LastIndexOf('@');
        return Path.Combine(StackFolder, "mail", address[(at + 1)..].ToLowerInvariant(), address[..at].ToLowerInvariant(), "Maildir");
    }

    private string StackFolder => Path.Combine(Folder, "stack");

    private int EnsureStarted(int port) => port != 0 ? port : throw NotStarted();

    private static InvalidOperationException NotStarted() => new(IsInstalled ? "The mail stack is not running." : NotInstalled);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static Task<string> RunAsync(params string[] arguments) => RunAsync((IEnumerable<string>)arguments);

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {Script}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/mailstack {string.Join(' ', start.ArgumentList)} did not finish within a minute.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/mailstack {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {(await errors).Trim()}");
        return await output;
    }

    /// <summary>
    /// A test run that was killed never disposed its stack: its daemons run on and its folder stays.
    /// Stops those whose owning process is gone, so leftovers neither pile up nor hold ports.
    /// </summary>
    private static async Task StopAbandonedInstancesAsync()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (!File.Exists(owner) || !int.TryParse(await File.ReadAllTextAsync(owner), out var pid) || Directory.Exists($"/proc/{pid}"))
                continue;
            try
            {
                if (Directory.Exists(Path.Combine(folder, "stack"))) await RunAsync("stop", Path.Combine(folder, "stack"));
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Not ours to fix here: the new stack uses other ports and another folder anyway.
            }
        }
    }
}

/// <summary>Test classes in this collection share one <see cref="MailStack"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class MailStackCollection : ICollectionFixture<MailStack>
{
    public const string Name = "mail stack";
}

/// <summary>
/// A test against the real mail stack: skipped with the reason when Exim or Dovecot is missing (or the
/// run is not root, which the daemons need to switch users) outside CI; under CI=true it must run.
/// </summary>
public sealed class MailStackFactAttribute : FactAttribute
{
    public MailStackFactAttribute()
    {
        if (MailStack.SkipReason is { } reason) Skip = reason;
    }
}

/// <summary>The <see cref="TheoryAttribute"/> twin of <see cref="MailStackFactAttribute"/>.</summary>
public sealed class MailStackTheoryAttribute : TheoryAttribute
{
    public MailStackTheoryAttribute()
    {
        if (MailStack.SkipReason is { } reason) Skip = reason;
    }
}
