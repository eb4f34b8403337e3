using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Network.Hosting;

/// <summary>One way to validate options in every process, the Native AOT agent included.</summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Validates the options at start-up with <paramref name="validator"/>, a source-generated
    /// <c>[OptionsValidator]</c> (no reflection), and makes every failure name the full configuration key,
    /// for example <c>Storage:DataDirectory</c>. Call it right after <c>BindConfiguration(section)</c>
    /// (which the configuration-binding source generator turns into reflection-free code at the call site).
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateOnStartNamingKeys<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this OptionsBuilder<TOptions> builder, string section, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        builder.Services.AddSingleton(NamingKeys(section, validator));
        return builder.ValidateOnStart();
    }

    /// <summary>
    /// <paramref name="validator"/> with every failure rewritten to start with the full configuration key under
    /// <paramref name="section"/>: what <see cref="ValidateOnStartNamingKeys"/> registers, for a process that binds and
    /// validates its options without a service container (the Native AOT agent's own small host).
    /// </summary>
    public static IValidateOptions<TOptions> NamingKeys<TOptions>(string section, IValidateOptions<TOptions> validator)
        where TOptions : class => new KeyNamingValidator<TOptions>(section, validator);

    /// <summary>Rewrites the generated validator's failures so each starts with the configuration key.</summary>
    private sealed class KeyNamingValidator<TOptions>(string section, IValidateOptions<TOptions> inner) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            ValidateOptionsResult result = inner.Validate(name, options);
            return result.Failed
                ? ValidateOptionsResult.Fail(result.Failures?.Select(Describe) ?? [$"{section}: invalid"])
                : result;
        }

        // The generated validator reports "Port: The field AgentMetricsOptions.Port must be between 1 and 65535."
        // This becomes "Agent:Metrics:Port: The field Agent:Metrics:Port must be between 1 and 65535."
        private string Describe(string failure)
        {
            int colon = failure.IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || failure[..colon].Contains(' ', StringComparison.Ordinal))
            {
                return $"{section}: {failure}";
            }

            string member = failure[..colon];
            string key = $"{section}:{member.Replace('.', ':')}";
            string error = failure[(colon + 2)..].Replace($"{typeof(TOptions).Name}.{member}", key, StringComparison.Ordinal);
            return $"{key}: {error}";
        }
    }
}
