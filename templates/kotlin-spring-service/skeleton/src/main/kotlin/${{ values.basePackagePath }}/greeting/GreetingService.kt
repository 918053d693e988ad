package ${{ values.basePackage }}.greeting

import ${{ values.basePackage }}.features.Features
import dev.openfeature.sdk.Client
import org.slf4j.LoggerFactory
import org.springframework.stereotype.Service
import java.util.Locale

/**
 * Builds greetings. Plain logic over an OpenFeature [Client], so it is
 * unit-tested without Spring, with flags held in memory.
 */
@Service
class GreetingService(private val features: Client) {

    private val log = LoggerFactory.getLogger(javaClass)

    fun greet(name: String, salutation: String? = null): Greeting {
        val cleanName = name.trim()
        val cleanSalutation = salutation?.trim()?.takeIf { it.isNotEmpty() } ?: DEFAULT_SALUTATION
        val message = "$cleanSalutation, $cleanName!"
        // Off (the default, also when the flag is missing) keeps today's behaviour.
        val shout = features.getBooleanValue(Features.GREETING_SHOUT, false)
        // JSON log line with the request's traceId and spanId (Micrometer Tracing)
        log.info("Greeted {}", cleanName)
        return Greeting(message = if (shout) message.uppercase(Locale.ROOT) else message, name = cleanName)
    }

    companion object {
        const val DEFAULT_SALUTATION = "Hello"
    }
}
