package ${{ values.basePackage }}.greeting

import io.swagger.v3.oas.annotations.Operation
import io.swagger.v3.oas.annotations.tags.Tag
import jakarta.validation.Valid
import jakarta.validation.constraints.NotBlank
import jakarta.validation.constraints.Size
import org.springframework.http.HttpStatus
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestBody
import org.springframework.web.bind.annotation.RequestMapping
import org.springframework.web.bind.annotation.RequestParam
import org.springframework.web.bind.annotation.ResponseStatus
import org.springframework.web.bind.annotation.RestController

/** Sample endpoint: replace it with the service's own API (and update openapi.yaml). */
@RestController
@RequestMapping("/api/greetings")
@Tag(name = "greetings")
class GreetingController(private val greetingService: GreetingService) {

    @GetMapping
    @Operation(summary = "Greet someone by name")
    fun greet(
        @RequestParam(defaultValue = "World") @NotBlank @Size(max = MAX_NAME_LENGTH) name: String,
    ): Greeting = greetingService.greet(name)

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a greeting with an optional salutation")
    fun create(@Valid @RequestBody request: CreateGreetingRequest): Greeting =
        greetingService.greet(request.name, request.salutation)
}
