// Projects app: show a preview of a chosen photo before upload (no inline scripts: strict CSP).
document.addEventListener("DOMContentLoaded", () => {
  const input = document.querySelector(".update-form input[type=file][accept^=image]");
  if (!input) return;
  input.addEventListener("change", () => {
    const old = document.getElementById("photo-preview");
    if (old) old.remove();
    const file = input.files && input.files[0];
    if (!file || !file.type.startsWith("image/")) return;
    const img = document.createElement("img");
    img.id = "photo-preview";
    img.className = "img-thumbnail mt-1 update-photo";
    img.alt = "";
    const reader = new FileReader(); // a data: URL (the CSP allows data: images, not blob:)
    reader.onload = () => { img.src = reader.result; input.insertAdjacentElement("afterend", img); };
    reader.readAsDataURL(file);
  });
});
