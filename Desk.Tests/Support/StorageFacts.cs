using Desk.Web.Data;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Desk.Tests.Support;

/// <summary>
/// A class of tests that runs on PostgreSQL: typically the sealed "…OnPostgres" subclass of an abstract class of
/// tests whose other subclass runs them on SQLite. Its <see cref="StorageFactAttribute"/> and
/// <see cref="StorageTheoryAttribute"/> tests are skipped with <see cref="PostgresServer.SkipReason"/> where
/// PostgreSQL is missing outside CI.
/// </summary>
public interface IRunsOnPostgres;

/// <summary>The provider a class of storage tests runs on, from its <see cref="IRunsOnPostgres"/> marker.</summary>
public static class StorageProvider
{
    public static DatabaseProvider Of(Type testClass) =>
        typeof(IRunsOnPostgres).IsAssignableFrom(testClass) ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;

    internal static string? SkipReason(ITestMethod method) =>
        Of(method.TestClass.Class.ToRuntimeType()) == DatabaseProvider.Postgres ? PostgresServer.SkipReason : null;
}

/// <summary>A fact about storage: runs on the class's provider, skipped with a plain reason where that provider's server is missing outside CI.</summary>
[XunitTestCaseDiscoverer("Desk.Tests.Support.StorageFactDiscoverer", "Desk.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageFactAttribute : FactAttribute;

/// <summary>A theory about storage; see <see cref="StorageFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("Desk.Tests.Support.StorageTheoryDiscoverer", "Desk.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StorageTheoryAttribute : TheoryAttribute;

public sealed class StorageFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    private readonly IMessageSink _sink = sink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        StorageProvider.SkipReason(method) is { } reason
            ? [new XunitSkippedDataRowTestCase(_sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason)]
            : base.Discover(options, method, attribute);
}

public sealed class StorageTheoryDiscoverer(IMessageSink sink) : TheoryDiscoverer(sink)
{
    private readonly IMessageSink _sink = sink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        StorageProvider.SkipReason(method) is { } reason
            ? [new XunitSkippedDataRowTestCase(_sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason)]
            : base.Discover(options, method, attribute);
}

/// <summary>
/// A fact about storage that also needs the real mail stack: skipped (outside CI) when either the class's database
/// server or Exim and Dovecot are missing; see <see cref="StorageFactAttribute"/> and <see cref="MailStackFactAttribute"/>.
/// </summary>
[XunitTestCaseDiscoverer("Desk.Tests.Support.MailStackStorageFactDiscoverer", "Desk.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class MailStackStorageFactAttribute : FactAttribute;

public sealed class MailStackStorageFactDiscoverer(IMessageSink sink) : FactDiscoverer(sink)
{
    private readonly IMessageSink _sink = sink;

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions options, ITestMethod method, IAttributeInfo attribute) =>
        (MailStack.SkipReason ?? StorageProvider.SkipReason(method)) is { } reason
            ? [new XunitSkippedDataRowTestCase(_sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason)]
            : base.Discover(options, method, attribute);
}
