package ${{ values.basePackage }}.greeting

import ${{ values.basePackage }}.features.inMemoryFeatures
import ${{ values.basePackage }}.web.ProblemDetailsAdvice
import dev.openfeature.sdk.Client
import org.junit.jupiter.api.Test
import org.springframework.beans.factory.annotation.Autowired
import org.springframework.boot.test.context.TestConfiguration
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Import
import org.springframework.http.MediaType
import org.springframework.test.web.servlet.MockMvc
import org.springframework.test.web.servlet.get
import org.springframework.test.web.servlet.post

@WebMvcTest(GreetingController::class)
@Import(GreetingService::class, ProblemDetailsAdvice::class, GreetingControllerTest.NoFlags::class)
class GreetingControllerTest(@Autowired private val mockMvc: MockMvc) {

    /** No flag set: every toggle at its default (off). */
    @TestConfiguration(proxyBeanMethods = false)
    class NoFlags {
        @Bean
        fun features(): Client = inMemoryFeatures()
    }

    @Test
    fun `GET greets the given name`() {
        mockMvc.get("/api/greetings") { param("name", "Ada") }
            .andExpect {
                status { isOk() }
                jsonPath("$.message") { value("Hello, Ada!") }
            }
    }

    @Test
    fun `GET rejects a blank name naming the parameter`() {
        mockMvc.get("/api/greetings") { param("name", " ") }
            .andExpect {
                status { isBadRequest() }
                content { contentType(MediaType.APPLICATION_PROBLEM_JSON) }
                jsonPath("$.errors[0].field") { value("name") }
            }
    }

    @Test
    fun `POST creates a greeting`() {
        mockMvc.post("/api/greetings") {
            contentType = MediaType.APPLICATION_JSON
            content = """{"name":"Grace","salutation":"Hi"}"""
        }.andExpect {
            status { isCreated() }
            jsonPath("$.message") { value("Hi, Grace!") }
        }
    }

    @Test
    fun `POST with a missing name is a 400 problem naming the field`() {
        mockMvc.post("/api/greetings") {
            contentType = MediaType.APPLICATION_JSON
            content = """{"salutation":"Hi"}"""
        }.andExpect {
            status { isBadRequest() }
            content { contentType(MediaType.APPLICATION_PROBLEM_JSON) }
            jsonPath("$.title") { value("Invalid request") }
            jsonPath("$.detail") { value("Invalid value for 'name': must not be blank") }
            jsonPath("$.errors[0].field") { value("name") }
        }
    }

    @Test
    fun `POST with a wrongly typed field names the field`() {
        mockMvc.post("/api/greetings") {
            contentType = MediaType.APPLICATION_JSON
            content = """{"name":{"first":"Ada"}}"""
        }.andExpect {
            status { isBadRequest() }
            jsonPath("$.errors[0].field") { value("name") }
        }
    }

    @Test
    fun `POST with malformed JSON is a 400 problem`() {
        mockMvc.post("/api/greetings") {
            contentType = MediaType.APPLICATION_JSON
            content = """{"name":"""
        }.andExpect {
            status { isBadRequest() }
            content { contentType(MediaType.APPLICATION_PROBLEM_JSON) }
        }
    }
}
