package ${{ values.basePackage }}

import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.ExtendWith
import org.springframework.boot.test.context.SpringBootTest
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment
import org.springframework.boot.test.system.CapturedOutput
import org.springframework.boot.test.system.OutputCaptureExtension
import org.springframework.boot.test.web.server.LocalServerPort
import org.springframework.http.MediaType
import org.springframework.test.web.servlet.client.RestTestClient

/** Starts the whole application on a random port and talks to it over HTTP. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ApplicationIntegrationTest {

    @LocalServerPort
    private var port: Int = 0

    private lateinit var client: RestTestClient

    @BeforeEach
    fun setUp() {
        client = RestTestClient.bindToServer().baseUrl("http://localhost:$port").build()
    }

    @Test
    fun `health is UP`() {
        client.get().uri("/actuator/health").exchange()
            .expectStatus().isOk
            .expectBody().jsonPath("$.status").isEqualTo("UP")
    }

    @Test
    fun `health answers with status first, as simple probes expect`() {
        client.get().uri("/actuator/health").exchange()
            .expectStatus().isOk
            .expectBody(String::class.java).value { body -> check(body.orEmpty().startsWith("{\"status\":\"UP\"")) { "unexpected body: $body" } }
    }

    @Test
    fun `liveness and readiness probes are UP`() {
        for (probe in listOf("liveness", "readiness")) {
            client.get().uri("/actuator/health/$probe").exchange()
                .expectStatus().isOk
                .expectBody().jsonPath("$.status").isEqualTo("UP")
        }
    }

    @Test
    fun `greeting endpoint answers`() {
        client.get().uri("/api/greetings?name=Ada").exchange()
            .expectStatus().isOk
            .expectBody().jsonPath("$.message").isEqualTo("Hello, Ada!")
    }

    @Test
    @ExtendWith(OutputCaptureExtension::class)
    fun `the greeting is logged as JSON with the trace and span ids of its request`(output: CapturedOutput) {
        client.get().uri("/api/greetings?name=Ada").exchange().expectStatus().isOk
        val line = output.out.lines().last { "\"message\":\"Greeted Ada\"" in it }
        check(Regex("\"traceId\":\"[0-9a-f]{32}\"") in line) { "no trace id in: $line" }
        check(Regex("\"spanId\":\"[0-9a-f]{16}\"") in line) { "no span id in: $line" }
    }

    @Test
    fun `invalid POST is a problem+json 400 naming the field`() {
        client.post().uri("/api/greetings")
            .contentType(MediaType.APPLICATION_JSON)
            .body("""{"name":""}""")
            .exchange()
            .expectStatus().isBadRequest
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody().jsonPath("$.errors[0].field").isEqualTo("name")
    }

    @Test
    fun `prometheus metrics and OpenAPI document are exposed`() {
        client.get().uri("/actuator/prometheus").exchange()
            .expectStatus().isOk
            .expectBody(String::class.java).value { body -> check(body.orEmpty().contains("jvm_memory_used_bytes")) }
        client.get().uri("/v3/api-docs").exchange()
            .expectStatus().isOk
            .expectBody().jsonPath("$.paths['/api/greetings']").exists()
    }

    @Test
    fun `unknown path is a problem+json 404`() {
        client.get().uri("/api/nope").exchange()
            .expectStatus().isNotFound
            .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
    }
}
