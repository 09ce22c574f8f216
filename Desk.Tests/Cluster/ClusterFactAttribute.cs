using Desk.Tests.Support;

namespace Desk.Tests.Cluster;

/// <summary>
/// A test of several desk processes behind nginx on one PostgreSQL (and, with <c>mailStack: true</c>, one mail stack):
/// skipped with a plain reason where nginx, PostgreSQL or the mail stack is missing outside CI; under CI=true it must
/// run, and fails when they are missing.
/// </summary>
public sealed class ClusterFactAttribute : FactAttribute
{
    public ClusterFactAttribute(bool mailStack = false)
    {
        if (SkipReason(mailStack) is { } reason) Skip = reason;
    }

    public const string Nginx = "/usr/sbin/nginx";

    /// <summary>Why cluster tests are skipped here, or null when they run (always under CI=true).</summary>
    public static string? SkipReason(bool mailStack) =>
        Environment.GetEnvironmentVariable("CI") == "true" ? null
        : !File.Exists(Nginx) ? $"nginx is not installed ({Nginx}); scripts/cluster install (or .ci/run) installs it."
        : PostgresServer.SkipReason ?? (mailStack ? MailStack.SkipReason : null);
}

/// <summary>
/// The cluster tests: one after another, and after every other test, alone (each runs several desks on two cores; beside
/// the rest of the suite a restart's seconds would be anyone's guess; in the one run where the shared sign-in test ran
/// beside the others, a browser test's sign-in timed out). Their own mail stack.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<MailStack>
{
    public const string Name = "cluster";
}
