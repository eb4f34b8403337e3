using Network.Hosting;

namespace Network.CaptivePortal.Privacy;

public static class PrivacyExtensions
{
    /// <summary>Retention of personal data (options section <c>Privacy</c>) and erasure with a deleted account.</summary>
    public static IHostApplicationBuilder AddPrivacy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section)
            .ValidateOnStartNamingKeys(PrivacyOptions.Section, new PrivacyOptionsValidator());
        builder.Services.AddSingleton<PersonalDataEraser>();
        builder.Services.AddHostedService<RetentionService>();
        return builder;
    }
}
