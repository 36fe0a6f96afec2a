using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Node.Api;
using ThingLedger.Tests.Shared;

namespace ThingLedger.Node.Tests;

/// <summary>What the node says and does when its input is bad or its files fail while it runs.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task Bad_requests_are_logged_as_rate_limited_single_lines_without_stack_traces()
    {
        var log = new CapturingLoggerProvider();
        using var node = new TestNode
        {
            MaxRequestBytes = 1024,
            Configure = b => b.UseSetting("Logging:LogLevel:Default", "Debug").ConfigureLogging(l => l.AddProvider(log)),
        };
        var http = node.CreateClient();
        var oversized = "{\"tx\":\"" + new string('a', 2048) + "\"}";
        for (var i = 0; i < 60; i++)
        {
            using var body = new StringContent(oversized, Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PostAsync("/v1/txs", body)).StatusCode);
            using var tiny = new StringContent("{\"tx\":1}", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/v1/txs", tiny)).StatusCode);
        }
        var entries = log.Entries.ToArray();
        Assert.DoesNotContain(entries, e => e.Exception is not null || e.Level >= LogLevel.Error);
        var refusals = entries.Where(e => e.Category == typeof(BadInputLog).FullName).ToArray();
        Assert.True(refusals.Length > 0, string.Join("\n", entries.Select(e => $"{e.Category} {e.Level} {e.Message}")));
        Assert.True(refusals.Length <= 2 * BadInputLog.LinesPerSecond + 2, $"{refusals.Length} lines for 120 bad requests");
        Assert.All(refusals, e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.All(refusals, e => Assert.DoesNotContain('\n', e.Message));
    }

    [Fact]
    public async Task A_page_damaged_while_the_node_runs_turns_health_unhealthy_and_stops_writes()
    {
        using var node = new TestNode();
        using var client = node.Client();
        var admin = await node.AccountAsync(node.Admin("gridco"));
        var tx = admin.Sign(Operations.AddMember("gridco", KeyPair.Generate().Address, Roles.Auditor));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(tx, wait: true)).Status);

        DamagedFile.DamagePage(Path.Combine(node.Directory, "ledger.db"), "txs_by_id");
        SqliteConnection.ClearAllPools();   // the node's idle readers had the page cached; new ones read the file

        var http = node.CreateClient();
        var lookup = await http.GetAsync($"/v1/txs/{tx.Id}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lookup.StatusCode);
        Assert.Contains(ErrorCodes.NodeUnavailable, await lookup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("node repair", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<ThingLedgerException>(() => client.SubmitAsync(admin.Sign(Operations.AddMember("gridco", KeyPair.Generate().Address, Roles.Auditor))));
        Assert.Equal(ErrorCodes.NodeUnavailable, refused.Code);
    }

    private sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
