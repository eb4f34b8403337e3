using Network.Noc.Ingest;
using Network.Storage;

namespace Network.Noc.Reports;

public static class ReportsExtensions
{
    /// <summary>The hotspots' months (the portal's figures, kept from ingest) and the reports built on them.</summary>
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase("Noc", "noc.db", UsageStore.Feature);
        builder.Services.AddSingleton<UsageStore>();
        builder.Services.AddSingleton<UsageRecorder>();
        builder.Services.AddSingleton<IIngestObserver>(services => services.GetRequiredService<UsageRecorder>());
        return builder;
    }
}
