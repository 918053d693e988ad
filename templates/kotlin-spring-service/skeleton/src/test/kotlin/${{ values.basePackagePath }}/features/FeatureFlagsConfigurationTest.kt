package ${{ values.basePackage }}.features

import dev.openfeature.sdk.OpenFeatureAPI
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Duration
import kotlin.io.path.writeText
import kotlin.test.Test
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue

/** The flagd file provider as the application configures it, on a file of the test's own. */
class FeatureFlagsConfigurationTest {

    @TempDir
    private lateinit var dir: Path

    private val opened = mutableListOf<OpenFeatureAPI>()

    @AfterEach
    fun shutDown() = opened.forEach { it.shutdown() }

    private fun open(file: Path): OpenFeatureAPI =
        FeatureFlagsConfiguration()
            .openFeature(FeatureFlagsProperties(file = file.toString(), pollInterval = Duration.ofMillis(100)))
            .also { opened += it }

    private fun flagFile(defaultVariant: String): String = """
        {
          "${'$'}schema": "https://flagd.dev/schema/v0/flags.json",
          "flags": {
            "${Features.GREETING_SHOUT}": {
              "state": "ENABLED",
              "variants": {"on": true, "off": false},
              "defaultVariant": "$defaultVariant"
            }
          }
        }
    """.trimIndent()

    @Test
    fun `serves the default variant from the flag file`() {
        val file = dir.resolve("flags.json").apply { writeText(flagFile("on")) }
        assertTrue(open(file).client.getBooleanValue(Features.GREETING_SHOUT, false))
    }

    @Test
    fun `picks up an edited flag file without a restart`() {
        val file = dir.resolve("flags.json").apply { writeText(flagFile("on")) }
        val client = open(file).client
        assertTrue(client.getBooleanValue(Features.GREETING_SHOUT, false))

        file.writeText(flagFile("off"))
        val deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos()
        while (client.getBooleanValue(Features.GREETING_SHOUT, true) && System.nanoTime() < deadline) {
            Thread.sleep(50)
        }
        assertFalse(client.getBooleanValue(Features.GREETING_SHOUT, true))
    }

    @Test
    fun `a missing flag file fails at once, naming the file`() {
        val missing = dir.resolve("nowhere.json")
        val error = assertFailsWith<IllegalStateException> { open(missing) }
        assertContains(error.message.orEmpty(), missing.toString())
    }

    @Test
    fun `the committed flag file keeps greeting-shout off`() {
        assertEquals(false, open(Path.of("flags", "flags.json")).client.getBooleanValue(Features.GREETING_SHOUT, true))
    }
}
