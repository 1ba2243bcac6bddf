<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<?cs if:Brand.Subtitle ?><p class="brand-subtitle"><?cs var:Brand.Subtitle ?></p><?cs /if ?>
<p class="client">Sign in to continue to <strong class="client-name"><?cs var:Client.Name ?></strong></p>
<?cs if:Login.Message ?><p class="message" role="alert" id="message"><?cs var:Login.Message ?></p><?cs /if ?>
<form method="post" action="<?cs var:Login.Action ?>" id="login">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus value="<?cs var:Login.Username ?>">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<?cs if:Brand.RememberMe ?><label class="check"><input id="rememberMe" name="rememberMe" type="checkbox" value="on"> Keep me signed in</label><?cs /if ?>
<button id="submit" type="submit">Sign in</button>
</form>
<?cs if:Login.ForgotAction || Login.RegisterAction ?><p class="links"><?cs if:Login.ForgotAction ?><a id="forgot-password" href="<?cs var:Login.ForgotAction ?>?authreq=<?cs var:url_escape(Login.Request) ?>">Forgot password?</a><?cs /if ?>
<?cs if:Login.RegisterAction ?><a id="create-account" href="<?cs var:Login.RegisterAction ?>?authreq=<?cs var:url_escape(Login.Request) ?>">Create an account</a><?cs /if ?></p><?cs /if ?>
<?cs /def ?>
<?cs include!"layout.cs" ?>
