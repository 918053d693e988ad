package ${{ values.basePackage }}.features

import dev.openfeature.contrib.providers.flagd.Config
import dev.openfeature.contrib.providers.flagd.FlagdOptions
import dev.openfeature.contrib.providers.flagd.FlagdProvider
import dev.openfeature.sdk.Client
import dev.openfeature.sdk.OpenFeatureAPI
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.context.properties.EnableConfigurationProperties
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import java.nio.file.Path
import java.time.Duration

/** Keys of the flags in flags/flags.json that the code reads. */
object Features {
    /** Boolean: greetings in capitals. */
    const val GREETING_SHOUT = "greeting-shout"
}

/**
 * `feature-flags.file` (environment: FEATURE_FLAGS_FILE): the flagd flag
 * definition file, relative to the working directory unless absolute.
 * `feature-flags.poll-interval`: how often it is checked for changes.
 */
@ConfigurationProperties("feature-flags")
data class FeatureFlagsProperties(
    val file: String = "flags/flags.json",
    val pollInterval: Duration = Duration.ofSeconds(2),
)

/**
 * Feature toggles through OpenFeature. The flagd provider evaluates the flag
 * file in-process (no flagd daemon) and polls it, so an edited file takes
 * effect in a few seconds without a restart. A missing or invalid file fails
 * the start rather than silently serving defaults.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeatureFlagsProperties::class)
class FeatureFlagsConfiguration {

    // An isolated API, not the global singleton: each application context
    // (and each test context) owns its provider and shuts it down.
    @Bean(destroyMethod = "shutdown")
    fun openFeature(properties: FeatureFlagsProperties): OpenFeatureAPI =
        OpenFeatureAPI.createIsolated().apply {
            setProviderAndWait(
                FlagdProvider(
                    FlagdOptions.builder()
                        .resolverType(Config.Resolver.FILE)
                        .offlineFlagSourcePath(Path.of(properties.file).toAbsolutePath().toString())
                        .offlinePollIntervalMs(properties.pollInterval.toMillis().toInt())
                        // The first load (schema validation set-up on a cold
                        // JVM) can take longer than flagd's default of 1 s.
                        .deadline(INITIALIZATION_DEADLINE_MS)
                        .build(),
                ),
            )
        }

    @Bean
    fun featureClient(openFeature: OpenFeatureAPI): Client = openFeature.client

    private companion object {
        const val INITIALIZATION_DEADLINE_MS = 15_000
    }
}
